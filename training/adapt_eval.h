#pragma once
// How much few-shot adaptation helps a new speaker, measured honestly: every fold of a split
// plan trains its model as cross-validation does; then each held-out speaker's clips are cut
// by content (RAVDESS statement, CREMA-D/SAVEE sentence, EMO-DB text, TESS word) into an
// adaptation side and a test side, so the test clips say other words than the ones adapted
// on. For each K, K clips per label of the adaptation side adapt the fold's model
// (model/adapt.h) and the speaker's test side is scored before and after. K = 0 is the
// zero-shot case, without labels: the speaker's normalisation from the adaptation side
// ("norm"), and the speaker baseline learnt there (training/speaker_baseline.h).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/adapt.h"
#include "nn/thread_pool.h"
#include "training/dataset.h"
#include "training/fit.h"
#include "training/splits.h"

namespace ser {

struct AdaptEvalOptions {
    std::vector<int> shots = {1, 2, 4};  // clips per label; 0: the zero-label methods
    std::vector<std::string> methods = {"norm+head2"};  // K = 0 runs "norm", "baseline", "baseline-neutral"
    AdaptOptions adapt;                  // steps, learning rate, ... (method is set per run)
    FitOptions fit;                      // of the fold models
    std::vector<std::size_t> train_only; // as CrossValidationOptions::train_only
    std::function<void(int fold, int folds, const std::string& name)> on_fold;
    std::function<void(int done, int speakers)> on_speaker;  // after each speaker of a fold or model
    // A store for the fold models (ser eval --adapt-shots --resume DIR): a fold whose model
    // it holds is not trained again, and a model trained here is handed to it, so a run cut
    // off, or a second run of other methods, costs the adaptations alone.
    std::function<std::optional<Model>(std::size_t fold)> stored_model;
    std::function<void(std::size_t fold, const Model& model)> on_model;
};

struct SpeakerAdaptation {
    std::string fold, speaker, method;
    int shots = 0;
    int adapt_clips = 0, test_clips = 0;
    double before_uar = 0.0;    // the fold's model on the speaker's test side
    double adapted_uar = 0.0;   // the adapted model, whatever leave-one-out said
    double guarded_uar = 0.0;   // the model the guard picks (base when leave-one-out says worse)
    bool kept_base = false;
    double seconds = 0.0;       // the adaptation (with its leave-one-out) alone
    // The model adapt_model's own guard picks: the strength whose leave-one-out
    // log-likelihood is highest (AdaptResult::strength; 0 keeps the base); guarded_uar above
    // judges base against full strength by UAR.
    double likely_uar = 0.0;
    bool likely_kept_base = false;
    double strength = 1.0;
    // What both guards saw: leave-one-out on the adaptation clips (AdaptResult), so other
    // rules (e.g. a margin the adapted model must clear) can be compared from one report.
    double loo_base_uar = 0.0, loo_adapted_uar = 0.0;
    double loo_base_log_likelihood = 0.0, loo_adapted_log_likelihood = 0.0;
    // Per strength of AdaptOptions::strengths: what the guard chose by (leave-one-out) and
    // what each would have scored on the test side, so a rule's cost can be read off.
    std::vector<double> strength_log_likelihoods{}, strength_uars{};
};

struct AdaptEvalSummary {
    std::string method;
    int shots = 0, speakers = 0;
    double before_uar = 0.0, adapted_uar = 0.0, guarded_uar = 0.0;  // means over speakers
    double worst_delta = 0.0, worst_guarded_delta = 0.0;             // lowest after - before
    int kept_base = 0;
    double likely_uar = 0.0, worst_likely_delta = 0.0;  // the likelihood guard's
    int likely_kept_base = 0;
};

struct AdaptEvalResult {
    std::vector<SpeakerAdaptation> speakers;
    // Speakers (or a speaker at one K) that could not be measured, with why: fewer than two
    // contents to split by, or too few adaptation-side clips for adapt_model at that K.
    std::vector<std::string> skipped;
    std::vector<AdaptEvalSummary> summary() const;  // per method and K, in the order run
};

AdaptEvalResult adapt_evaluate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                               const AdaptEvalOptions& options);

// The same for a model already trained (`ser eval --model M --adapt-shots`): every speaker
// of `items` (indices into clips, whose labels are the model's) adapts `model` itself.
// The caller leaves out the speakers the model was trained on; fold names read "model".
AdaptEvalResult adapt_evaluate_model(const Model& model, const TrainingConfig& config, const ClipSet& clips,
                                     std::span<const std::size_t> items, const AdaptEvalOptions& options);

// The adaptation and test sides of one speaker's clips (indices into clips.items), split by
// the corpus's content field; both empty when the clips have fewer than two contents.
struct ContentSplit {
    std::vector<std::size_t> adapt, test;
};

ContentSplit split_by_content(const ClipSet& clips, std::span<const std::size_t> speaker_items);

// One speaker at one K: adapt `base` on K clips per label of split.adapt (a seeded choice;
// K = 0: the speaker's statistics only) and score split.test before and after. When
// adapt_model refuses the chosen clips (a speaker with few clips at a small K) the result
// is empty and `refused` says why, so one speaker never ends the whole measurement.
std::optional<SpeakerAdaptation> adapt_speaker(const Model& base, const TrainingConfig& config, const ClipSet& clips,
                                               const ContentSplit& split, int shots, const std::string& method,
                                               std::uint64_t seed, const AdaptEvalOptions& options,
                                               nn::ThreadPool* pool, std::string& refused);

// The speaker baseline at K = 0, learnt from the base model's answers on the adaptation side
// and taken out of its answers on the test side. With `neutral_only` both sides keep only
// their neutral clips, a voice that stays in one mood, where the baseline can only lose: the
// row's UAR is then the share still called neutral. nullopt when a side has no such clips.
std::optional<SpeakerAdaptation> baseline_speaker(const Model& base, const TrainingConfig& config, const ClipSet& clips,
                                                  const ContentSplit& split, bool neutral_only, nn::ThreadPool* pool);

}  // namespace ser
