#include "features/time_features.h"

#include <cmath>

#include "features/framing.h"

namespace ser {
namespace {

bool is_negative(float v, float threshold) { return std::fabs(v) > threshold && std::signbit(v); }

// Four partial sums in a fixed order: the same result on every platform, in vector registers.
double sum_of_squares(const float* x, int n) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += static_cast<double>(x[i]) * x[i];
        s1 += static_cast<double>(x[i + 1]) * x[i + 1];
        s2 += static_cast<double>(x[i + 2]) * x[i + 2];
        s3 += static_cast<double>(x[i + 3]) * x[i + 3];
    }
    for (; i < n; ++i) s0 += static_cast<double>(x[i]) * x[i];
    return (s0 + s1) + (s2 + s3);
}

}  // namespace

void zero_crossing_rate(std::span<const float> pcm, const ZcrConfig& config, int hop_length, int frames,
                        std::vector<float>& padded, std::vector<int>& crossings, Matrix& zcr) {
    zcr.resize(1, frames);
    if (frames == 0) return;
    const int length = config.frame_length;
    const std::int64_t pad = config.center ? length / 2 : 0;
    const auto total = static_cast<std::int64_t>(pcm.size()) + 2 * pad;
    padded.resize(static_cast<std::size_t>(total));
    copy_padded(pcm, -pad, total, config.pad_mode, padded.data());
    // Crossings counted once over the whole (padded) signal; a frame's count is a difference
    // of two running totals. Integer counts, so the result does not depend on the batch.
    // librosa's numba kernel compares in float32; values within the threshold count as +0.
    const auto threshold = static_cast<float>(config.threshold);
    crossings.resize(static_cast<std::size_t>(total));
    int running = 0;
    crossings[0] = 0;
    for (std::size_t i = 1; i < padded.size(); ++i) {
        running += is_negative(padded[i], threshold) != is_negative(padded[i - 1], threshold);
        crossings[i] = running;
    }
    for (int t = 0; t < frames; ++t) {
        const auto first = static_cast<std::size_t>(t) * static_cast<std::size_t>(hop_length);
        const int count = crossings[first + static_cast<std::size_t>(length) - 1] - crossings[first];
        zcr.at(0, t) = static_cast<double>(count) / length;
    }
}

void root_mean_square(std::span<const float> pcm, const RmsConfig& config, int hop_length, int frames,
                      std::vector<float>& frame, Matrix& rms) {
    const int length = config.frame_length;
    const std::int64_t shift = config.center ? length / 2 : 0;
    frame.resize(static_cast<std::size_t>(length));
    rms.resize(1, frames);
    for (int t = 0; t < frames; ++t) {
        copy_padded(pcm, static_cast<std::int64_t>(t) * hop_length - shift, length, config.pad_mode, frame.data());
        rms.at(0, t) = std::sqrt(sum_of_squares(frame.data(), length) / length);
    }
}

}  // namespace ser
