#pragma once
// Guards at the doors of the DSP: a NaN or an infinity that gets into a filter or an FFT
// spreads to every later sample or frame, and a finite but absurd sample (1e30) overflows
// the power spectrum to infinity, so both are refused where audio enters.

#include <span>
#include <string_view>

namespace ser {

// Audio is expected within about ±1. Floating-point files legitimately go beyond: headroom
// over a mix (a few units) or a file written at integer scale (±32768). The bound sits
// 120 dB above full scale, far above both, and far below where any stage overflows float:
// the largest power, a constant at the bound through a 65536-point frame, is 1e27.
inline constexpr float max_pcm_magnitude = 1e6f;

// Throws std::invalid_argument naming `what`, the first bad sample's index and value, when
// a sample is NaN, infinite or beyond ±max_pcm_magnitude.
void require_usable_pcm(std::span<const float> samples, std::string_view what);

}  // namespace ser
