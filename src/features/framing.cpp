#include "features/framing.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace ser {
namespace {

// numpy's "reflect" repeats the mirror image without the edge sample: period 2 (n - 1).
float reflected(std::span<const float> x, std::int64_t i) {
    const auto n = static_cast<std::int64_t>(x.size());
    if (n == 1) return x[0];
    const std::int64_t period = 2 * (n - 1);
    std::int64_t m = i % period;
    if (m < 0) m += period;
    return x[static_cast<std::size_t>(m < n ? m : period - m)];
}

float outside(std::span<const float> x, std::int64_t i, PadMode mode) {
    switch (mode) {
        case PadMode::constant: return 0.0f;
        case PadMode::edge: return i < 0 ? x.front() : x.back();
        case PadMode::reflect: return reflected(x, i);
    }
    return 0.0f;
}

}  // namespace

int frame_count(std::size_t n_samples, int frame_length, int hop_length, bool center) {
    if (n_samples == 0) return 0;
    const auto n = static_cast<std::int64_t>(n_samples);
    const std::int64_t padded = center ? n + 2 * (frame_length / 2) : n;
    if (padded < frame_length) return 0;
    const std::int64_t frames = 1 + (padded - frame_length) / hop_length;
    if (frames > std::numeric_limits<int>::max()) throw std::invalid_argument("input too long: more than 2^31 frames");
    return static_cast<int>(frames);
}

void copy_padded(std::span<const float> x, std::int64_t start, std::int64_t length, PadMode mode, float* out) {
    const auto n = static_cast<std::int64_t>(x.size());
    const std::int64_t end = start + length;
    if (start >= 0 && end <= n) {
        std::copy(x.begin() + start, x.begin() + end, out);
        return;
    }
    for (std::int64_t i = start; i < end; ++i)
        *out++ = (i >= 0 && i < n) ? x[static_cast<std::size_t>(i)] : outside(x, i, mode);
}

}  // namespace ser
