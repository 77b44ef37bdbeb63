#pragma once
// Playing a clip at another rate, two ways. Pitch shift keeps the duration: stretch by the
// ratio (WSOLA, same pitch), then resample by the inverse ratio (ser::resample), which
// restores the duration and moves every frequency, pitch and formants alike, by the ratio.
// Speed change is the resampling alone: tempo, pitch and formants move together, as if the
// tape ran fast or slow (the "speed perturbation" of speech recognition recipes).

#include <span>
#include <vector>

namespace ser {

// Multiplies every frequency by `ratio` (within [0.5, 2]); returns pcm.size() samples.
// sample_rate * ratio must lie within the resampler's 8 kHz..192 kHz range. The ratio
// actually applied is rounded to a multiple of 1/400 (4 cents; see the .cpp for why).
std::vector<float> pitch_shift(std::span<const float> pcm, int sample_rate, double ratio);

// Plays pcm `factor` times as fast (within [0.5, 2]): round(pcm.size() / factor) samples,
// every frequency times factor. The same rate grid and limits as pitch_shift.
std::vector<float> change_speed(std::span<const float> pcm, int sample_rate, double factor);

// 2^(semitones / 12).
double semitones_to_ratio(double semitones);

}  // namespace ser
