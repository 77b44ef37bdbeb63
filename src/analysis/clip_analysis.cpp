#include "analysis/clip_analysis.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"
#include "model/model_input.h"

namespace ser {

namespace {

// Windows whose features are computed in one go: about a minute of audio at the default
// hop, so a long clip's features never sit in memory whole.
constexpr std::size_t windows_per_block = 256;

}  // namespace

ClipAnalyzer::ClipAnalyzer(const Model& model)
    : predictor_(model),
      vad_(model.features.sample_rate),
      pooled_(model.features.input.pooling != Pooling::none),
      window_samples_(static_cast<std::size_t>(std::lround(model.analysis.window_s * model.features.sample_rate))),
      hop_samples_(static_cast<std::size_t>(std::lround(model.analysis.hop_s * model.features.sample_rate))),
      window_frames_(model.network.input_shape().time),
      hop_length_(static_cast<std::size_t>(model.features.stft.hop_length)) {
    if (window_samples_ == 0 || hop_samples_ == 0) throw ModelError("model analysis window and hop must be positive");
    if (!pooled_ && hop_samples_ % hop_length_ != 0)
        throw ModelError("model analysis.hop_s is not a whole number of feature hops (" + std::to_string(hop_length_) +
                         " samples), so windows would not line up with frames");
    hop_frames_ = static_cast<int>(hop_samples_ / hop_length_);
}

std::vector<std::size_t> ClipAnalyzer::window_starts(std::size_t n) const {
    std::vector<std::size_t> starts;
    if (pooled_) {
        starts.push_back(0);
        for (std::size_t s = hop_samples_; s + window_samples_ <= n; s += hop_samples_) starts.push_back(s);
        return starts;
    }
    // In frames, as training cuts windows from a clip's frames.
    const int frames = static_cast<int>(predictor_.frames_for(n));
    for (int f : ser::window_starts(std::max(frames, 1), window_frames_, hop_frames_))
        starts.push_back(static_cast<std::size_t>(f) * hop_length_);
    return starts;
}

std::span<const float> ClipAnalyzer::classify_window(std::span<const float> pcm) {
    if (pcm.empty()) throw std::invalid_argument("the window is empty: there is no audio to classify");
    return predictor_.probabilities(pcm);
}

std::span<const float> ClipAnalyzer::classify_frames(const FeatureMatrix& frames) {
    require_finite_features(frames);
    return predictor_.probabilities_of_frames(frames, 0, frames.cols);
}

WindowResult ClipAnalyzer::analyse_window(std::span<const float> classify, std::span<const float> window,
                                          std::size_t start) {
    const auto p = classify_window(classify);
    WindowResult w;
    w.start_s = static_cast<double>(start) / sample_rate();
    w.end_s = static_cast<double>(start + window.size()) / sample_rate();
    w.probabilities.assign(p.begin(), p.end());
    w.activity = activity(window);
    return w;
}

ClipResult ClipAnalyzer::analyse(std::span<const float> pcm, bool with_timeline) {
    if (pcm.empty()) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    require_usable_pcm(pcm, "the clip");
    const std::vector<std::size_t> starts = window_starts(pcm.size());

    ClipResult result;
    result.duration_s = static_cast<double>(pcm.size()) / sample_rate();
    result.speech_s = result.duration_s;
    result.probabilities.assign(labels().size(), 0.0f);
    if (pooled_) {
        const auto p = predictor_.probabilities(pcm);
        std::copy(p.begin(), p.end(), result.probabilities.begin());
    }
    // Frame-local features are computed once per stretch of windows and cut into them.
    const bool sliced = !pooled_ && predictor_.frame_local() && pcm.size() >= predictor_.min_samples();
    std::vector<float> window_probabilities, levels;
    for (std::size_t first = 0; (!pooled_ || with_timeline) && first < starts.size(); first += windows_per_block) {
        const std::size_t last = std::min(starts.size(), first + windows_per_block) - 1;
        const std::size_t from = starts[first];
        if (sliced)
            predictor_.compute_features(pcm.subspan(from, std::min(pcm.size(), starts[last] + window_samples_) - from),
                                        block_features_);
        for (std::size_t i = first; i <= last; ++i) {
            const std::size_t start = starts[i];
            const auto window = pcm.subspan(start, std::min(window_samples_, pcm.size() - start));
            const auto p = sliced ? predictor_.probabilities_of_frames(block_features_,
                                                                       static_cast<int>((start - from) / hop_length_),
                                                                       static_cast<int>(predictor_.frames_for(window.size())))
                                  : classify_window(window);
            window_probabilities.insert(window_probabilities.end(), p.begin(), p.end());
            if (!pooled_) note_levels(start, levels);
            if (with_timeline) {
                WindowResult w;
                w.start_s = static_cast<double>(start) / sample_rate();
                w.end_s = static_cast<double>(start + window.size()) / sample_rate();
                w.probabilities.assign(p.begin(), p.end());
                w.activity = activity(window);
                result.windows.push_back(std::move(w));
            }
        }
    }
    if (!pooled_) average_windows(levels, starts, window_probabilities, result);
    result.label = static_cast<int>(std::max_element(result.probabilities.begin(), result.probabilities.end()) -
                                    result.probabilities.begin());
    return result;
}

void ClipAnalyzer::put_levels(std::size_t start, std::span<const float> window_levels, std::vector<float>& levels) const {
    if (window_levels.empty()) return;
    window_levels = window_levels.first(std::min(window_levels.size(), static_cast<std::size_t>(window_frames_)));  // what the network saw
    const std::size_t first = start / hop_length_;
    if (levels.size() < first + window_levels.size()) levels.resize(first + window_levels.size());
    std::copy(window_levels.begin(), window_levels.end(), levels.begin() + static_cast<std::ptrdiff_t>(first));
}

void ClipAnalyzer::note_levels(std::size_t start, std::vector<float>& levels) const {
    put_levels(start, predictor_.frame_levels(), levels);
}

// The other analysis noted this window's levels from its first frame on; any frames after
// them there belong to later windows of the same clip, so they are the same values.
void ClipAnalyzer::carry_levels(std::size_t start, std::span<const float> noted, std::vector<float>& levels) const {
    const std::size_t first = start / hop_length_;
    if (first < noted.size()) put_levels(start, noted.subspan(first), levels);
}

// The clip's probabilities: its windows' mean, each weighted by how much of the clip's
// speech it holds (model_input.h), so silence around the speech does not vote.
void ClipAnalyzer::average_windows(std::span<const float> levels, std::span<const std::size_t> starts,
                                   std::span<const float> probabilities, ClipResult& result) const {
    const std::size_t classes = result.probabilities.size();
    std::vector<int> frame_starts;
    for (std::size_t start : starts) frame_starts.push_back(static_cast<int>(start / hop_length_));
    const WindowWeights w = weigh_windows(levels, frame_starts, window_frames_, predictor_.normalisation());
    if (!levels.empty()) result.speech_s = w.speech_frames * static_cast<double>(hop_length_) / sample_rate();
    const double total = std::accumulate(w.weights.begin(), w.weights.end(), 0.0);
    for (std::size_t k = 0; k < starts.size(); ++k)
        for (std::size_t c = 0; c < classes; ++c)
            result.probabilities[c] += static_cast<float>(w.weights[k] / total) * probabilities[k * classes + c];
}

}  // namespace ser
