#pragma once
// The loudness of a frame of dB features: its total power over the rows, in dB. A frame's
// level depends on that frame's values only, so a stream computes it once per frame
// (FrameRing) and every window holding the frame reads the same number.

#include <cstddef>
#include <vector>

#include "features/feature_config.h"
#include "features/feature_matrix.h"

namespace ser {

// Level of one frame whose `rows` values lie `stride` floats apart.
float frame_level(const float* frame, std::size_t stride, int rows);

// Level of each frame of a [rows][frames] matrix, over its first `rows` rows (0: all).
// Resizes `out` to clip.cols.
void frame_levels(const FeatureMatrix& clip, int rows, std::vector<float>& out);

// The rows of a config's input that are in dB and say how loud a frame is: mel_db's, when
// the input starts with it (other features may follow, e.g. pitch); 0 when it does not.
int level_rows(const FeatureConfig& config);

}  // namespace ser
