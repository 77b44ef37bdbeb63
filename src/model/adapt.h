#pragma once
// Few-shot adaptation of a model to one speaker: a handful of that person's clips with
// labels (possibly covering only some of the model's labels) adjust the input
// normalisation and/or the last dense layer(s), the rest of the network stays as shipped.
// The same code runs in `ser adapt`, in `ser eval --adapt-shots` and in the page, so it
// lives in the core: it is deterministic (one thread, fixed order, seeded dropout) and
// gives the same weights natively and in WebAssembly up to float rounding.
//
// Guard against over-fitting: every clip is also predicted by a model adapted on the
// others (leave-one-out) and by the base model, and by models part of the way between the
// two (the adapted layers' weights and the input statistics interpolated); the result says
// the strongest of them under which the person's own labels are no less likely than under
// the base, and callers use the model at that strength (at_strength), the base itself when
// it is 0.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "features/feature_matrix.h"
#include "model/model.h"

namespace ser {

struct AdaptClip {
    FeatureMatrix features;  // the model's features of the whole clip (FeatureExtractor), before normalisation
    int label = 0;           // index into the model's labels
};

struct AdaptOptions {
    // What changes: "norm" (the speaker's own input statistics; labels unused), "bias" (the
    // last dense layer's bias: a per-class shift), "head" (the last dense layer), "head2"
    // (the last two, or the one a net has), or "norm+bias", "norm+head", "norm+head2".
    // The default measured best (docs/ADAPTATION.md).
    std::string method = "norm+head2";
    int steps = 60;               // full-batch Adam steps
    float learning_rate = 3e-3f;
    float anchor = 0.05f;         // pulls the weights toward the base's (gradient anchor * (w - w0))
    std::uint64_t seed = 1;       // dropout masks inside the adapted layers
    bool leave_one_out = true;    // measure base vs adapted on the clips (costs one fit per clip)
    // The strengths leave-one-out chooses among, ascending (0: the base, 1: the adapted model).
    std::vector<double> strengths = {0.0, 0.25, 0.5, 0.75, 1.0};
    std::string base_name;        // recorded in the adapted model
    std::function<void(int done, int total)> on_progress;  // fits done (leave-one-out ones, then the final one)
};

// Refusals (errors) and advice (warnings) about a set of clips, each a sentence that says
// what to do. adapt_model() throws std::invalid_argument with the errors.
struct AdaptCheck {
    std::vector<std::string> errors, warnings;
};
AdaptCheck check_adapt_clips(const Model& base, std::span<const AdaptClip> clips);

struct AdaptResult {
    Model model;                  // the adapted model, with its Adaptation record
    double base_uar = 0.0;        // leave-one-out on the clips, over the labels they cover
    double adapted_uar = 0.0;     // (all four 0 when leave_one_out is off)
    // The same clips by the mean log-probability of their true labels (over the covered
    // labels): what the guard judges by. The UAR over a dozen clips moves in steps of a
    // whole clip; judged by it the guard left twice as many held-out speakers worse off
    // (`ser eval --adapt-shots`, docs/ADAPTATION.md).
    double base_log_likelihood = 0.0, adapted_log_likelihood = 0.0;
    // Per AdaptOptions::strengths, the same mean log-likelihood. The chosen strength is the
    // strongest whose figure is at least the base's (0 when none is); 1 when leave_one_out
    // is off.
    std::vector<double> strength_log_likelihoods;
    double strength = 1.0;
    bool better_or_equal = true;  // strength > 0: false means keep the base model
    // Per clip, the leave-one-out predictions behind those UARs (label indices; empty when
    // leave_one_out is off): what a confusion picture of before/after is drawn from.
    std::vector<int> base_predicted, adapted_predicted;
    std::vector<std::string> warnings;
};

// The input normalisation with the speaker's own statistics (the "norm" part of a method):
// needs no labels, so it also serves zero-shot, from a speaker's first unlabelled clips.
Normalisation speaker_normalisation(const Model& base, std::span<const FeatureMatrix> clips);

// The model `strength` of the way from base to adapted (an adapt_model result's model):
// the adapted layers' weights and the input statistics interpolated; 0 gives the base's
// numbers, 1 the adapted model. The adaptation record says which strength.
Model at_strength(const Model& base, const Model& adapted, double strength);

// Throws std::invalid_argument for refused clips or an unknown method, ModelError when the
// model has nothing the method can adapt (no dense layer, a batchnorm inside the head).
AdaptResult adapt_model(const Model& base, std::span<const AdaptClip> clips, const AdaptOptions& options);

}  // namespace ser
