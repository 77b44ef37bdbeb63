#pragma once
// Room reverberation from synthetic impulse responses: a direct path followed by Gaussian
// noise whose envelope falls 60 dB in RT60 seconds (the statistical model of a diffuse
// late field), convolved with the clip through an FFT.

#include <span>
#include <vector>

#include "nn/rng.h"

namespace ser {

struct RoomSettings {
    double rt60_s = 0.4;  // reverberation time, within [0.05, 3]
    double drr_db = 5.0;  // direct-to-reverberant energy ratio, within [-20, 40]
};

// Impulse response of length ceil(rt60 * sample_rate): h[0] = 1 (the direct sound), then
// the decaying tail, scaled so that 10 log10(1 / tail energy) = drr_db.
std::vector<float> synthetic_rir(int sample_rate, const RoomSettings& room, nn::Rng& rng);

// pcm convolved with rir, cut to pcm's length (the tail past the end is dropped) and
// scaled back to pcm's RMS, so reverberation changes the sound, not the level.
std::vector<float> reverberate(std::span<const float> pcm, std::span<const float> rir);

}  // namespace ser
