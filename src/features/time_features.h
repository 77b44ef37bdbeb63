#pragma once
// The two features read straight off the waveform, as librosa computes them: zero-crossing
// rate (librosa.feature.zero_crossing_rate) and RMS (librosa.feature.rms, no window).

#include <span>
#include <vector>

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

// Both write one row of `frames` values, frame t starting at t * hop (centred when the
// config says so). The vectors are scratch.
void zero_crossing_rate(std::span<const float> pcm, const ZcrConfig& config, int hop_length, int frames,
                        std::vector<float>& padded, std::vector<int>& crossings, Matrix& zcr);
void root_mean_square(std::span<const float> pcm, const RmsConfig& config, int hop_length, int frames,
                      std::vector<float>& frame, Matrix& rms);

}  // namespace ser
