#include "analysis/clip_analysis.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"
#include "model/model_input.h"

namespace ser {

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

ClipResult ClipAnalyzer::analyse(std::span<const float> pcm, bool with_timeline) {
    if (pcm.empty()) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    require_usable_pcm(pcm, "the clip");
    const std::size_t classes = labels().size();
    const std::vector<std::size_t> starts = window_starts(pcm.size());

    ClipResult result;
    result.probabilities.assign(classes, 0.0f);
    if (pooled_) {
        const auto p = predictor_.probabilities(pcm);
        std::copy(p.begin(), p.end(), result.probabilities.begin());
    }
    if (!pooled_ || with_timeline) {
        for (std::size_t start : starts) {
            const auto window = pcm.subspan(start, std::min(window_samples_, pcm.size() - start));
            const auto p = predictor_.probabilities(window);
            if (!pooled_)
                for (std::size_t c = 0; c < classes; ++c) result.probabilities[c] += p[c] / static_cast<float>(starts.size());
            if (with_timeline) {
                WindowResult w;
                w.start_s = static_cast<double>(start) / sample_rate();
                w.end_s = static_cast<double>(start + window.size()) / sample_rate();
                w.probabilities.assign(p.begin(), p.end());
                w.activity = vad_.analyse(window);
                result.windows.push_back(std::move(w));
            }
        }
    }
    result.label = static_cast<int>(std::max_element(result.probabilities.begin(), result.probabilities.end()) -
                                    result.probabilities.begin());
    return result;
}

}  // namespace ser
