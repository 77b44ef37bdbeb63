#pragma once
// FFT helpers for augmentation (KissFFT underneath): sizes KissFFT handles fast, and linear
// convolution in the frequency domain.

#include <cstddef>
#include <span>
#include <vector>

namespace ser {

// The smallest n' >= n whose only prime factors are 2, 3 and 5.
std::size_t fast_fft_size(std::size_t n);

// Full linear convolution (length a + b - 1), computed in double precision.
std::vector<float> fft_convolve(std::span<const float> a, std::span<const float> b);

}  // namespace ser
