#pragma once
// The scalar reference: inference of one sample with plain loops in the [channels][time]
// layout, written for clarity, not speed. Tests hold the SIMD engine to it, and the
// benchmark reports the speed-up over it.

#include <span>
#include <vector>

#include "nn/network.h"

namespace ser::nn {

// Logits of one [channels][time] sample, inference mode (running BatchNorm statistics, no dropout).
std::vector<float> reference_forward(const Network& net, std::span<const float> input);

}  // namespace ser::nn
