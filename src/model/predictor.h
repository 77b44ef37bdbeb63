#pragma once
// The inference front for one analysis window: PCM at the model's sample rate -> features
// -> the model's input (a frame model takes the window's first input-length frames, looping
// a shorter window to fill them; model_input.h) -> normalisation -> the folded SIMD network
// -> class probabilities. Training builds its inputs with the same functions. Buffers are
// kept between calls, so after the first call for a given length nothing is allocated.

#include <span>
#include <string>
#include <vector>

#include "features/feature_extractor.h"
#include "model/model.h"

namespace ser {

// Throws std::invalid_argument naming the first non-finite value (the audio held NaN/Inf
// or extreme values): every path checks a window's features with this before the network.
void require_finite_features(const FeatureMatrix& features);

class Predictor {
public:
    // Throws ModelError when this build cannot compute the model's features or they do not
    // fit the network's input.
    explicit Predictor(const Model& model);

    // pcm: mono samples at model.features.sample_rate. The returned span is valid until the
    // next call. Throws std::invalid_argument for audio shorter than the model can judge and
    // for non-finite samples or features.
    std::span<const float> probabilities(std::span<const float> pcm);
    std::span<const float> logits(std::span<const float> pcm);

    // A frame model's probabilities for a window whose frames were computed over a longer
    // stretch (a FrameRing), looped to the input length like a short window's own. When
    // features are frame-local, this equals probabilities() of the window's own samples bit
    // for bit, and a clip's frames are computed once instead of once per overlapping window.
    // `levels`: the frames' frame_levels when the caller kept them, else empty.
    std::span<const float> probabilities_of_frames(const FeatureMatrix& frames, std::span<const float> levels = {});
    // The model's input features of pcm, before normalisation. Throws std::invalid_argument
    // for non-finite features.
    void compute_features(std::span<const float> pcm, FeatureMatrix& out);
    bool frame_local() const { return frame_local_; }

    const FeatureMatrix& features() const { return features_; }  // of the last call, before normalisation
    // The last call's frame loudness (model_input.h); empty unless the model keeps only the
    // speech frames of a window.
    std::span<const float> frame_levels() const { return levels_; }
    const Normalisation& normalisation() const { return norm_; }
    // Wall time of the last call's two halves, for performance displays.
    double last_feature_ms() const { return feature_ms_; }
    double last_inference_ms() const { return inference_ms_; }
    std::size_t min_samples() const { return min_samples_; }
    std::size_t frames_for(std::size_t samples) const { return static_cast<std::size_t>(extractor_.frames_for(samples)); }
    int sample_rate() const { return sample_rate_; }
    const std::vector<std::string>& labels() const { return labels_; }

private:
    // The normalised network input of one window; levels_ hold its frame levels already
    // when `have_levels`.
    void prepare_input(const FeatureMatrix& features, bool have_levels = false);
    std::span<const float> run_network();
    void softmax_output();

    std::vector<std::string> labels_;
    FeatureExtractor extractor_;
    Normalisation norm_;
    nn::Network net_;
    bool pooled_ = false;
    bool frame_local_ = false;
    int window_frames_ = 0;  // frame models: the network's input length
    std::size_t min_samples_ = 1;
    int sample_rate_ = 0;
    float temperature_ = 1.0f;
    FeatureMatrix features_;
    std::vector<float> input_, output_, levels_;
    std::vector<int> kept_;
    double feature_ms_ = 0.0, inference_ms_ = 0.0;
};

}  // namespace ser
