#pragma once
// How every feature cuts a signal into frames, as librosa does: frame t starts at sample
// t * hop, or is centred on it (the signal then padded by frame_length / 2 on each side).

#include <cstdint>
#include <span>

#include "features/feature_config.h"

namespace ser {

// No samples give no frames; otherwise librosa's count for the padded or unpadded signal.
int frame_count(std::size_t n_samples, int frame_length, int hop_length, bool center);

// Copies `length` samples of x starting at `start` (which may lie before 0 or run past the
// end) into out, filling the outside as numpy.pad does in `mode`. x must not be empty.
void copy_padded(std::span<const float> x, std::int64_t start, std::int64_t length, PadMode mode, float* out);

}  // namespace ser
