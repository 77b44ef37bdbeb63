#include "training/augment/gain_shift.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"

namespace ser {

std::vector<float> apply_gain(std::span<const float> pcm, double db) {
    if (!std::isfinite(db) || std::fabs(db) > 120.0)
        throw std::invalid_argument("apply_gain: the gain must be a finite number of dB within +-120, not " +
                                    std::to_string(db));
    require_usable_pcm(pcm, "the audio to apply a gain to");
    const double factor = std::pow(10.0, db / 20.0);
    std::vector<float> out(pcm.size());
    for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = static_cast<float>(factor * static_cast<double>(pcm[i]));
    return out;
}

std::string_view shift_mode_name(ShiftMode mode) { return mode == ShiftMode::circular ? "circular" : "padded"; }

ShiftMode parse_shift_mode(std::string_view name) {
    if (name == "circular") return ShiftMode::circular;
    if (name == "padded") return ShiftMode::padded;
    throw std::invalid_argument("unknown shift mode '" + std::string(name) + "': use circular or padded");
}

std::vector<float> time_shift(std::span<const float> pcm, std::int64_t samples, ShiftMode mode) {
    const auto n = static_cast<std::int64_t>(pcm.size());
    std::vector<float> out(pcm.size(), 0.0f);
    if (n == 0) return out;
    if (mode == ShiftMode::circular) {
        const std::int64_t shift = ((samples % n) + n) % n;
        for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>((i + shift) % n)] = pcm[static_cast<std::size_t>(i)];
        return out;
    }
    if (samples >= n || samples <= -n) return out;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t source = i - samples;
        if (source >= 0 && source < n) out[static_cast<std::size_t>(i)] = pcm[static_cast<std::size_t>(source)];
    }
    return out;
}

}  // namespace ser
