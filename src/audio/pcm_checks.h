#pragma once
// Guards at the doors of the DSP: a NaN or an infinity that gets into a filter or an FFT
// spreads to every later sample or frame, so it is refused where audio enters.

#include <span>
#include <string_view>

namespace ser {

// Throws std::invalid_argument naming `what`, the first non-finite sample's index and value.
void require_finite(std::span<const float> samples, std::string_view what);

}  // namespace ser
