#include "model/model_input.h"

#include <stdexcept>

namespace ser {

std::vector<int> window_starts(int frames, int window, int hop) {
    if (window <= 0 || hop <= 0) throw std::invalid_argument("window and hop must be positive");
    std::vector<int> starts = {0};
    for (int s = hop; s + window <= frames; s += hop) starts.push_back(s);
    return starts;
}

void copy_window(const FeatureMatrix& clip, int start, int window, std::span<float> out) {
    if (clip.cols <= 0) throw std::invalid_argument("cannot cut a window from a clip without frames");
    if (out.size() != static_cast<std::size_t>(clip.rows) * static_cast<std::size_t>(window))
        throw std::invalid_argument("window buffer has the wrong size");
    for (int c = 0; c < clip.rows; ++c) {
        const float* row = clip.values.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(clip.cols);
        float* dst = out.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(window);
        for (int t = 0; t < window; ++t) dst[t] = row[(start + t) % clip.cols];
    }
}

void normalise_input(std::span<float> input, int channels, int time, bool pooled, const Normalisation& n) {
    for (int c = 0; c < channels; ++c) {
        float* row = input.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(time);
        if (n.per_utterance) {
            double mean = 0.0;
            for (int t = 0; t < time; ++t) mean += row[t];
            const auto m = static_cast<float>(mean / time);
            for (int t = 0; t < time; ++t) row[t] -= m;
        }
        if (n.mean.empty()) continue;
        for (int t = 0; t < time; ++t) {
            const auto k = static_cast<std::size_t>(pooled ? c * time + t : c);
            row[t] = (row[t] - n.mean[k]) / n.std[k];
        }
    }
}

}  // namespace ser
