#include "analysis/window_classifier.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ser {

WindowClassifier::WindowClassifier(const Model& model)
    : predictor_(model),
      vad_(model.features.sample_rate),
      pooled_(model.features.input.pooling != Pooling::none),
      window_frames_(model.network.input_shape().time),
      hop_length_(static_cast<std::size_t>(model.features.stft.hop_length)) {
    const auto window = std::lround(model.analysis.window_s * model.features.sample_rate);
    const auto hop = std::lround(model.analysis.hop_s * model.features.sample_rate);
    if (window <= 0 || hop <= 0) throw ModelError("model analysis window and hop must be positive");
    if (!pooled_ && static_cast<std::size_t>(hop) % hop_length_ != 0)
        throw ModelError("model analysis.hop_s is not a whole number of feature hops (" + std::to_string(hop_length_) +
                         " samples), so windows would not line up with frames");
}

std::span<const float> WindowClassifier::classify(std::span<const float> pcm) {
    if (pcm.empty()) throw std::invalid_argument("the window is empty: there is no audio to classify");
    return predictor_.probabilities(pcm);
}

std::span<const float> WindowClassifier::classify_frames(const FeatureMatrix& frames, std::span<const float> levels) {
    require_finite_features(frames);
    return predictor_.probabilities_of_frames(frames, levels);
}

void WindowClassifier::put_levels(std::size_t start, std::span<const float> window_levels,
                                  std::vector<float>& levels) const {
    if (window_levels.empty()) return;
    window_levels = window_levels.first(std::min(window_levels.size(), static_cast<std::size_t>(window_frames_)));  // what the network saw
    const std::size_t first = start / hop_length_;
    if (levels.size() < first + window_levels.size()) levels.resize(first + window_levels.size());
    std::copy(window_levels.begin(), window_levels.end(), levels.begin() + static_cast<std::ptrdiff_t>(first));
}

void WindowClassifier::note_levels(std::size_t start, std::vector<float>& levels) const {
    put_levels(start, predictor_.frame_levels(), levels);
}

// The other analysis noted this window's levels from its first frame on; any frames after
// them there belong to later windows of the same clip, so they are the same values.
void WindowClassifier::carry_levels(std::size_t start, std::span<const float> noted, std::vector<float>& levels) const {
    const std::size_t first = start / hop_length_;
    if (first < noted.size()) put_levels(start, noted.subspan(first), levels);
}

}  // namespace ser
