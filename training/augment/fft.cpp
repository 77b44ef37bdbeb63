#include "training/augment/fft.h"

#include <complex>
#include <kissfft/kissfft.hh>
#include <stdexcept>

namespace ser {

std::size_t fast_fft_size(std::size_t n) {
    if (n <= 1) return 1;
    for (std::size_t candidate = n;; ++candidate) {
        std::size_t rest = candidate;
        for (std::size_t p : {2, 3, 5})
            while (rest % p == 0) rest /= p;
        if (rest == 1) return candidate;
    }
}

std::vector<float> fft_convolve(std::span<const float> a, std::span<const float> b) {
    if (a.empty() || b.empty()) return {};
    const std::size_t out_size = a.size() + b.size() - 1;
    const std::size_t n = fast_fft_size(out_size);
    // Both real inputs ride in one complex FFT: a in the real part, b in the imaginary part.
    std::vector<std::complex<double>> packed(n), spectrum(n), product(n), result(n);
    for (std::size_t i = 0; i < a.size(); ++i) packed[i].real(a[i]);
    for (std::size_t i = 0; i < b.size(); ++i) packed[i].imag(b[i]);
    kissfft<double>(n, false).transform(packed.data(), spectrum.data());
    for (std::size_t k = 0; k < n; ++k) {
        const std::complex<double> z = spectrum[k];
        const std::complex<double> z_mirror = std::conj(spectrum[(n - k) % n]);
        const std::complex<double> fa = 0.5 * (z + z_mirror);
        const std::complex<double> fb = std::complex<double>(0.0, -0.5) * (z - z_mirror);
        product[k] = fa * fb;
    }
    kissfft<double>(n, true).transform(product.data(), result.data());
    std::vector<float> out(out_size);
    for (std::size_t i = 0; i < out_size; ++i) out[i] = static_cast<float>(result[i].real() / static_cast<double>(n));
    return out;
}

}  // namespace ser
