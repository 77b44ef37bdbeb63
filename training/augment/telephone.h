#pragma once
// Two ways real recordings lose bandwidth that studio corpora never show a model: a
// telephone line and a low-bitrate speech codec.

#include <span>
#include <vector>

namespace ser {

// The narrowband telephone channel: a 300 Hz high-pass (4th-order Butterworth) and a
// round trip through `line_rate` Hz (the shared resampler's anti-alias filter keeps
// 0.91 of its Nyquist, e.g. 3.64 kHz at 8 kHz). Length and rate stay those of the input.
std::vector<float> telephone_band(std::span<const float> pcm, int sample_rate, int line_rate);

// An Opus encode/decode round trip at `kbps` (constant bitrate, 20 ms frames, speech
// mode), aligned to the input and of its length. Throws std::invalid_argument for a rate
// Opus does not code (8, 12, 16, 24, 48 kHz) or a bitrate outside 6-256 kb/s.
std::vector<float> opus_round_trip(std::span<const float> pcm, int sample_rate, int kbps);

}  // namespace ser
