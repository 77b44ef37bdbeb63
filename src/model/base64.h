#pragma once
// Weights travel in the model file as base64 of little-endian float32, with a checksum of
// those bytes so a damaged or hand-edited array is caught at load.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ser {

std::string base64_encode(std::span<const std::uint8_t> bytes);
// Strict RFC 4648 (standard alphabet, '=' padding, no whitespace); throws std::invalid_argument.
std::vector<std::uint8_t> base64_decode(std::string_view text);

// 64-bit FNV-1a of the bytes, as "fnv1a64:" and 16 lowercase hex digits.
std::string fnv1a64_tag(std::span<const std::uint8_t> bytes);

std::vector<std::uint8_t> floats_to_le_bytes(std::span<const float> values);
std::vector<float> le_bytes_to_floats(std::span<const std::uint8_t> bytes);  // size must be a multiple of 4

}  // namespace ser
