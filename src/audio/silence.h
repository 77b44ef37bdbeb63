#pragma once
// Digital silence around a clip: how the analyser frames a clip so that its windows reach
// past its edges (model.h, analysis.edge_s), and how a clip cut loosely from a recording (or
// a push-to-talk button held early and released late) arrives, for augmentation and tests.

#include <cstddef>
#include <span>
#include <vector>

namespace ser {

// `samples` of digital silence before and after.
std::vector<float> pad_silence(std::span<const float> pcm, std::size_t samples);

}  // namespace ser
