#include "model/model_input.h"

#include <algorithm>
#include <stdexcept>

#include "audio/silence.h"
#include "nn/simd.h"

namespace ser {

std::vector<int> window_starts(int frames, int window, int hop) {
    if (window <= 0 || hop <= 0) throw std::invalid_argument("window and hop must be positive");
    std::vector<int> starts = {0};
    for (int s = hop; s + window <= frames; s += hop) starts.push_back(s);
    return starts;
}

namespace {

// Each channel's time mean, summed in double in time order, subtracted from it. Eight
// channels are summed side by side: one channel's chain of dependent adds is slow alone.
void remove_channel_means(std::span<float> input, int channels, int time) {
    constexpr int group = 8;
    const auto length = static_cast<std::size_t>(time);
    for (int c0 = 0; c0 < channels; c0 += group) {
        const int rows = std::min(group, channels - c0);
        float* first = input.data() + static_cast<std::size_t>(c0) * length;
        double sums[group] = {};
        for (std::size_t t = 0; t < length; ++t)
            for (int r = 0; r < rows; ++r) sums[r] += first[static_cast<std::size_t>(r) * length + t];
        for (int r = 0; r < rows; ++r) {
            const auto m = static_cast<float>(sums[r] / time);
            float* row = first + static_cast<std::size_t>(r) * length;
            for (std::size_t t = 0; t < length; ++t) row[t] -= m;
        }
    }
}

// Raises every value to `below_peak` under the largest, with explicit vectors: GCC leaves
// both loops scalar (a max reduction and a select), and every window passes here.
void raise_to_floor(std::span<float> input, double below_peak) {
    const std::size_t size = input.size(), whole = size / simd::width * simd::width;
    float peak = input.front();
    if (whole > 0) {
        simd::vf m = simd::load(input.data());
        for (std::size_t i = simd::width; i < whole; i += simd::width) m = simd::max(m, simd::load(input.data() + i));
        alignas(64) float lanes[simd::width];
        simd::store(lanes, m);
        for (const float l : lanes) peak = l > peak ? l : peak;
    }
    for (std::size_t i = whole; i < size; ++i) peak = input[i] > peak ? input[i] : peak;
    const auto floor = static_cast<float>(peak - below_peak);
    const simd::vf f = simd::set1(floor);
    for (std::size_t i = 0; i < whole; i += simd::width) simd::store(input.data() + i, simd::max(f, simd::load(input.data() + i)));
    for (std::size_t i = whole; i < size; ++i) input[i] = std::max(input[i], floor);
}

void check_window_buffer(const FeatureMatrix& clip, int window, std::span<float> out) {
    if (clip.cols <= 0) throw std::invalid_argument("cannot cut a window from a clip without frames");
    if (out.size() != static_cast<std::size_t>(clip.rows) * static_cast<std::size_t>(window))
        throw std::invalid_argument("window buffer has the wrong size");
}

}  // namespace

void copy_window(const FeatureMatrix& clip, int start, int window, std::span<float> out) {
    check_window_buffer(clip, window, out);
    for (int c = 0; c < clip.rows; ++c) {
        const float* row = clip.values.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(clip.cols);
        float* dst = out.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(window);
        for (int t = 0; t < window; ++t) dst[t] = row[(start + t) % clip.cols];
    }
}

void gather_window(const FeatureMatrix& clip, std::span<const float> levels, int start, int window,
                   const Normalisation& n, std::span<float> out, std::vector<int>& kept) {
    if (n.speech_range_db <= 0.0) return copy_window(clip, start, window, out);
    check_window_buffer(clip, window, out);
    if (levels.size() != static_cast<std::size_t>(clip.cols)) throw std::invalid_argument("frame levels do not match the clip");
    if (start < 0 || start >= clip.cols) throw std::invalid_argument("window start is outside the clip");
    const int end = std::min(start + window, clip.cols);
    const float peak = *std::max_element(levels.begin() + start, levels.begin() + end);
    const auto threshold = static_cast<float>(peak - n.speech_range_db);
    kept.clear();
    for (int t = start; t < end; ++t)
        if (levels[static_cast<std::size_t>(t)] >= threshold) kept.push_back(t);
    const std::size_t count = kept.size();  // >= 1: the peak frame itself
    const auto length = static_cast<std::size_t>(window);
    // Looped to the window's length once, not once per row.
    for (std::size_t t = count; t < length; ++t) kept.push_back(kept[t - count]);
    const bool whole = count == length && kept.back() - kept.front() == window - 1;  // every frame kept
    for (int c = 0; c < clip.rows; ++c) {
        const float* row = clip.values.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(clip.cols);
        float* dst = out.data() + static_cast<std::size_t>(c) * length;
        if (whole) std::copy_n(row + kept.front(), length, dst);
        else for (std::size_t t = 0; t < length; ++t) dst[t] = row[kept[t]];
    }
}

WindowWeights weigh_windows(std::span<const float> levels, std::span<const int> starts, int window, const Normalisation& n) {
    WindowWeights w;
    const auto covered = [&](int start) { return std::clamp(start + window, 0, static_cast<int>(levels.size())); };
    const int end = starts.empty() ? 0 : covered(starts.back());
    if (n.speech_range_db <= 0.0 || end == 0) {
        w.weights.assign(starts.size(), 1.0f);
        w.speech_frames = end;
        return w;
    }
    const auto first = levels.begin();
    const auto threshold = static_cast<float>(*std::max_element(first, first + end) - n.speech_range_db);
    const auto speech = [&](int from, int to) {
        return static_cast<int>(std::count_if(first + std::min(from, to), first + to, [&](float l) { return l >= threshold; }));
    };
    for (int start : starts) w.weights.push_back(static_cast<float>(speech(start, covered(start))));
    w.speech_frames = speech(0, end);
    return w;
}

void analysed_clip_features(const Model& m, FeatureExtractor& extractor, std::span<const float> pcm, FeatureMatrix& out) {
    const auto edge = static_cast<std::size_t>(edge_samples(m.analysis.edge_s, m.features.sample_rate));
    if (edge == 0) return extractor.compute(pcm, out);
    extractor.compute(pad_silence(pcm, edge), out);
}

void normalise_input(std::span<float> input, int channels, int time, bool pooled, const Normalisation& n) {
    if (n.floor_db > 0.0) {
        const auto rows = static_cast<std::size_t>(n.level_rows > 0 ? std::min(n.level_rows, channels) : channels);
        raise_to_floor(input.first(pooled ? input.size() : rows * static_cast<std::size_t>(time)), n.floor_db);
    }
    if (n.per_utterance) remove_channel_means(input, channels, time);
    for (int c = 0; c < channels; ++c) {
        float* row = input.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(time);
        if (n.mean.empty()) continue;
        if (pooled) {
            const std::size_t k = static_cast<std::size_t>(c) * static_cast<std::size_t>(time);
            for (int t = 0; t < time; ++t) row[t] = (row[t] - n.mean[k + t]) / n.std[k + t];
        } else {
            const float mean = n.mean[static_cast<std::size_t>(c)], sd = n.std[static_cast<std::size_t>(c)];
            for (int t = 0; t < time; ++t) row[t] = (row[t] - mean) / sd;
        }
    }
}

}  // namespace ser
