#pragma once
// Additive noise at a chosen signal-to-noise ratio: synthetic (white, pink, brown) or a
// noise recording the caller decoded.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "nn/rng.h"

namespace ser {

enum class NoiseColour { white, pink, brown };

std::string_view noise_colour_name(NoiseColour colour);
NoiseColour parse_noise_colour(std::string_view name);  // throws std::invalid_argument

// Gaussian noise of unit RMS whose power spectrum falls as 1/f^0 (white), 1/f (pink) or
// 1/f^2 (brown), shaped exactly in the frequency domain; no DC.
std::vector<float> coloured_noise(std::size_t n, NoiseColour colour, nn::Rng& rng);

// n samples of `noise` from `offset` on, wrapping around: a short recording is looped.
std::vector<float> noise_segment(std::span<const float> noise, std::size_t n, std::size_t offset);

// signal + g * noise[0..signal.size()), with g chosen so that
// 10 log10(mean(signal^2) / mean((g * noise)^2)) = snr_db over the whole clip. The noise must
// be at least as long as the signal. Throws std::invalid_argument for a silent signal or
// noise (no SNR exists), non-finite samples, or a non-finite snr_db.
std::vector<float> add_noise(std::span<const float> signal, std::span<const float> noise, double snr_db);

}  // namespace ser
