#include "training/adapt_eval.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include "nn/rng.h"
#include "nn/thread_pool.h"
#include "training/evaluate.h"
#include "training/metrics.h"
#include "training/speaker_baseline.h"
#include "training/validation_split.h"

namespace ser {
namespace {

// The field that tells one recording's words from another's, per corpus.
const char* content_field(const CorpusItem& item) {
    for (const char* field : {"statement", "sentence", "text", "word"})
        if (item.fields.count(field)) return field;
    return nullptr;
}

ClipScores scores_of(const Model& model, const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> items,
                     nn::ThreadPool* pool) {
    nn::Network net = model.network.clone();
    return score_clips(net, model.normalisation, input_shape(config, clips), config, clips, items, pool);
}

double uar_on(const Model& model, const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> items,
              nn::ThreadPool* pool) {
    return clip_scores(clips, items, scores_of(model, config, clips, items, pool).clip_probabilities).uar;
}

// Up to `shots` clips of each label from the adaptation side, in a seeded order, so that
// the K = 1 clips are among the K = 2 ones and so on.
std::vector<std::size_t> pick_shots(const ClipSet& clips, std::vector<std::size_t> pool, int shots, std::uint64_t seed) {
    nn::Rng rng(seed);
    rng.shuffle(std::span(pool));
    std::map<int, int> taken;
    std::vector<std::size_t> out;
    for (std::size_t i : pool)
        if (taken[clips.label[i]]++ < shots) out.push_back(i);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::optional<SpeakerAdaptation> adapt_speaker(const Model& base, const TrainingConfig& config, const ClipSet& clips,
                                               const ContentSplit& split, int shots, const std::string& method,
                                               std::uint64_t seed, const AdaptEvalOptions& o, nn::ThreadPool* pool,
                                               std::string& refused) {
    SpeakerAdaptation r;
    r.method = shots == 0 ? "norm" : method;
    r.shots = shots;
    r.test_clips = static_cast<int>(split.test.size());
    const auto start = std::chrono::steady_clock::now();
    if (shots == 0) {
        std::vector<FeatureMatrix> unlabelled;
        for (std::size_t i : split.adapt) unlabelled.push_back(analysed_clip(clips, i));
        Model adapted = {base.labels, base.features, speaker_normalisation(base, unlabelled), base.analysis,
                         base.network.clone(), nlohmann::json::object(), {}, {}};
        r.adapt_clips = static_cast<int>(unlabelled.size());
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        r.before_uar = uar_on(base, config, clips, split.test, pool);
        r.adapted_uar = r.guarded_uar = r.likely_uar = uar_on(adapted, config, clips, split.test, pool);
        return r;
    }
    std::vector<AdaptClip> chosen;
    for (std::size_t i : pick_shots(clips, split.adapt, shots, seed)) chosen.push_back({analysed_clip(clips, i), clips.label[i]});
    r.adapt_clips = static_cast<int>(chosen.size());
    if (const AdaptCheck check = check_adapt_clips(base, chosen); !check.errors.empty()) {
        refused = check.errors.front();
        return std::nullopt;
    }
    AdaptOptions options = o.adapt;
    options.method = method;
    const AdaptResult a = adapt_model(base, chosen, options);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.loo_base_uar = a.base_uar;
    r.loo_adapted_uar = a.adapted_uar;
    r.loo_base_log_likelihood = a.base_log_likelihood;
    r.loo_adapted_log_likelihood = a.adapted_log_likelihood;
    r.strength = a.strength;
    r.strength_log_likelihoods = a.strength_log_likelihoods;
    // Each strength scored on the test clips once; the base (0), the full adaptation (1) and
    // the guard's choice are read from that list.
    for (double s : options.strengths) r.strength_uars.push_back(uar_on(at_strength(base, a.model, s), config, clips, split.test, pool));
    auto uar_at = [&](double s) {
        const auto at = std::find(options.strengths.begin(), options.strengths.end(), s);
        return at != options.strengths.end() ? r.strength_uars[static_cast<std::size_t>(at - options.strengths.begin())]
                                             : uar_on(at_strength(base, a.model, s), config, clips, split.test, pool);
    };
    r.before_uar = uar_at(0.0);
    r.adapted_uar = uar_at(1.0);
    r.kept_base = a.adapted_uar < a.base_uar;  // the alternative rule, measured beside adapt's own
    r.guarded_uar = r.kept_base ? r.before_uar : r.adapted_uar;
    r.likely_kept_base = !a.better_or_equal;
    r.likely_uar = uar_at(a.strength);
    return r;
}

std::optional<SpeakerAdaptation> baseline_speaker(const Model& base, const TrainingConfig& config, const ClipSet& clips,
                                                  const ContentSplit& split, bool neutral_only, nn::ThreadPool* pool) {
    const auto neutral = std::find(clips.labels.begin(), clips.labels.end(), "neutral") - clips.labels.begin();
    auto keep = [&](const std::vector<std::size_t>& side) {
        std::vector<std::size_t> out;
        for (std::size_t i : side)
            if (!neutral_only || clips.label[i] == neutral) out.push_back(i);
        return out;
    };
    const std::vector<std::size_t> learn = keep(split.adapt), test = keep(split.test);
    if (learn.empty() || test.empty()) return std::nullopt;
    SpeakerAdaptation r;
    r.method = neutral_only ? "baseline-neutral" : "baseline";
    r.adapt_clips = static_cast<int>(learn.size());
    r.test_clips = static_cast<int>(test.size());
    const int classes = static_cast<int>(clips.labels.size());
    const double frame_s = static_cast<double>(config.features.stft.hop_length) / config.features.sample_rate;
    const auto start = std::chrono::steady_clock::now();
    SpeakerBaseline baseline(classes);
    const ClipScores learnt = scores_of(base, config, clips, learn, pool);
    for (std::size_t c = 0; c < learn.size(); ++c)
        baseline.add(std::span(learnt.clip_probabilities).subspan(c * classes, classes),
                     clips.variants[learn[c]].front().cols * frame_s);
    ClipScores tested = scores_of(base, config, clips, test, pool);
    r.before_uar = clip_scores(clips, test, tested.clip_probabilities).uar;
    for (std::size_t c = 0; c < test.size(); ++c) baseline.apply(std::span(tested.clip_probabilities).subspan(c * classes, classes));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.adapted_uar = r.guarded_uar = r.likely_uar = clip_scores(clips, test, tested.clip_probabilities).uar;
    return r;
}

ContentSplit split_by_content(const ClipSet& clips, std::span<const std::size_t> speaker_items) {
    std::set<std::string> contents;
    for (std::size_t i : speaker_items)
        if (const char* f = content_field(clips.items[i])) contents.insert(clips.items[i].fields.at(f));
    ContentSplit split;
    if (contents.size() < 2) return split;
    // Alternate contents in sorted order: RAVDESS statement 01 adapts, 02 tests.
    std::set<std::string> adapt_side;
    int k = 0;
    for (const auto& c : contents)
        if (k++ % 2 == 0) adapt_side.insert(c);
    for (std::size_t i : speaker_items) {
        const char* f = content_field(clips.items[i]);
        if (!f) continue;
        (adapt_side.count(clips.items[i].fields.at(f)) ? split.adapt : split.test).push_back(i);
    }
    return split;
}

std::vector<AdaptEvalSummary> AdaptEvalResult::summary() const {
    std::vector<AdaptEvalSummary> out;
    for (const auto& s : speakers) {
        auto it = std::find_if(out.begin(), out.end(), [&](const AdaptEvalSummary& x) { return x.method == s.method && x.shots == s.shots; });
        if (it == out.end()) {
            out.push_back({s.method, s.shots, 0, 0.0, 0.0, 0.0, 1e9, 1e9, 0, 0.0, 1e9, 0});
            it = out.end() - 1;
        }
        ++it->speakers;
        it->before_uar += s.before_uar;
        it->adapted_uar += s.adapted_uar;
        it->guarded_uar += s.guarded_uar;
        it->worst_delta = std::min(it->worst_delta, s.adapted_uar - s.before_uar);
        it->worst_guarded_delta = std::min(it->worst_guarded_delta, s.guarded_uar - s.before_uar);
        it->kept_base += s.kept_base;
        it->likely_uar += s.likely_uar;
        it->worst_likely_delta = std::min(it->worst_likely_delta, s.likely_uar - s.before_uar);
        it->likely_kept_base += s.likely_kept_base;
    }
    for (auto& x : out) {
        x.before_uar /= x.speakers;
        x.adapted_uar /= x.speakers;
        x.guarded_uar /= x.speakers;
        x.likely_uar /= x.speakers;
    }
    return out;
}

namespace {

// Every speaker of `test` adapts `base` at each K and method; `fold` seeds the clip choice.
void adapt_speakers(const Model& base, const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> test,
                    const std::vector<std::string>& speakers, const std::string& fold_name, std::size_t fold,
                    const AdaptEvalOptions& o, nn::ThreadPool* pool, AdaptEvalResult& result) {
    for (std::size_t s = 0; s < speakers.size(); ++s) {
        const std::string& speaker = speakers[s];
        std::vector<std::size_t> items;
        for (std::size_t i : test)
            if (clips.items[i].speaker == speaker) items.push_back(i);
        const ContentSplit split = split_by_content(clips, items);
        if (split.adapt.empty() || split.test.empty())
            result.skipped.push_back(speaker + ": fewer than two statements/sentences/words to adapt on one and test on another");
        else {
            for (const auto& method : o.methods)
                for (int shots : o.shots) {
                    if (shots == 0 && method != o.methods.front()) continue;  // zero-shot is the same for every method
                    std::string refused;
                    std::optional<SpeakerAdaptation> r = adapt_speaker(base, config, clips, split, shots, method,
                                                                       nn::mix_seed(config.seed, fold * 1000 + s), o, pool, refused);
                    if (!r) {
                        result.skipped.push_back(speaker + " (" + method + ", K = " + std::to_string(shots) + "): " + refused);
                        continue;
                    }
                    r->fold = fold_name;
                    r->speaker = speaker;
                    result.speakers.push_back(std::move(*r));
                    if (shots != 0) continue;
                    for (bool neutral_only : {false, true})
                        if (auto b = baseline_speaker(base, config, clips, split, neutral_only, pool)) {
                            b->fold = fold_name;
                            b->speaker = speaker;
                            result.speakers.push_back(std::move(*b));
                        }
                }
        }
        if (o.on_speaker) o.on_speaker(static_cast<int>(s) + 1, static_cast<int>(speakers.size()));
    }
}

// The fold's model exactly as cross_validate trains it.
Model fold_model(const TrainingConfig& config, const ClipSet& clips, const Fold& fold, std::size_t f, const AdaptEvalOptions& o) {
    std::vector<std::size_t> train = fold.train, validation;
    if (config.validation_fraction > 0.0) {
        ValidationSplit vs = validation_split(clips.items, fold.train, config.validation_fraction, nn::mix_seed(config.seed, f));
        train = std::move(vs.train);
        validation = std::move(vs.validation);
    }
    train.insert(train.end(), o.train_only.begin(), o.train_only.end());
    FitResult fitted = fit(config, clips, train, validation, o.fit);
    if (fitted.interrupted) throw std::runtime_error("evaluation interrupted during " + fold.name);
    return model_of(config, clips, fitted);
}

}  // namespace

AdaptEvalResult adapt_evaluate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                               const AdaptEvalOptions& o) {
    nn::ThreadPool pool(o.fit.threads);
    AdaptEvalResult result;
    for (std::size_t f = 0; f < plan.folds.size(); ++f) {
        const Fold& fold = plan.folds[f];
        if (o.on_fold) o.on_fold(static_cast<int>(f) + 1, static_cast<int>(plan.folds.size()), fold.name);
        std::optional<Model> base = o.stored_model ? o.stored_model(f) : std::nullopt;
        if (!base) {
            base = fold_model(config, clips, fold, f, o);
            if (o.on_model) o.on_model(f, *base);
        }
        adapt_speakers(*base, config, clips, fold.test, fold.test_speakers, fold.name, f, o, &pool, result);
    }
    return result;
}

AdaptEvalResult adapt_evaluate_model(const Model& model, const TrainingConfig& config, const ClipSet& clips,
                                     std::span<const std::size_t> items, const AdaptEvalOptions& o) {
    nn::ThreadPool pool(o.fit.threads);
    std::vector<std::string> speakers;
    for (std::size_t i : items)
        if (std::find(speakers.begin(), speakers.end(), clips.items[i].speaker) == speakers.end())
            speakers.push_back(clips.items[i].speaker);
    AdaptEvalResult result;
    adapt_speakers(model, config, clips, items, speakers, "model", 0, o, &pool, result);
    return result;
}

}  // namespace ser
