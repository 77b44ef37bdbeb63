#pragma once
// The cheapest augmentations: loudness and position in time.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ser {

// Multiplies by 10^(db/20). Samples may leave [-1, 1]: features take floats, and clipping
// would be a different augmentation.
std::vector<float> apply_gain(std::span<const float> pcm, double db);

enum class ShiftMode {
    circular,  // what falls off one end comes back at the other
    padded,    // zeros come in, what falls off is lost
};

std::string_view shift_mode_name(ShiftMode mode);
ShiftMode parse_shift_mode(std::string_view name);  // throws std::invalid_argument

// Moves the content `samples` later (negative: earlier); the length stays.
std::vector<float> time_shift(std::span<const float> pcm, std::int64_t samples, ShiftMode mode);

}  // namespace ser
