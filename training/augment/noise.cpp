#include "training/augment/noise.h"

#include <cmath>
#include <complex>
#include <kissfft/kissfft.hh>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"
#include "training/augment/fft.h"

namespace ser {

namespace {

double mean_square(std::span<const float> x) {
    double sum = 0.0;
    for (float v : x) sum += static_cast<double>(v) * v;
    return x.empty() ? 0.0 : sum / static_cast<double>(x.size());
}

}  // namespace

std::string_view noise_colour_name(NoiseColour colour) {
    switch (colour) {
        case NoiseColour::white: return "white";
        case NoiseColour::pink: return "pink";
        case NoiseColour::brown: return "brown";
    }
    return "white";
}

NoiseColour parse_noise_colour(std::string_view name) {
    if (name == "white") return NoiseColour::white;
    if (name == "pink") return NoiseColour::pink;
    if (name == "brown") return NoiseColour::brown;
    throw std::invalid_argument("unknown noise colour '" + std::string(name) + "': use white, pink or brown");
}

std::vector<float> coloured_noise(std::size_t n, NoiseColour colour, nn::Rng& rng) {
    if (n == 0) return {};
    const std::size_t size = fast_fft_size(n);
    std::vector<std::complex<double>> white(size), spectrum(size), shaped(size);
    for (auto& v : white) v = rng.normal();
    kissfft<double>(size, false).transform(white.data(), spectrum.data());
    // Power ~ 1/f^alpha means amplitude ~ f^(-alpha/2); bins k and size-k share a frequency,
    // so the spectrum stays Hermitian and the inverse is real.
    const double alpha = colour == NoiseColour::white ? 0.0 : colour == NoiseColour::pink ? 1.0 : 2.0;
    spectrum[0] = 0.0;
    for (std::size_t k = 1; k < size; ++k) {
        const double f = static_cast<double>(std::min(k, size - k));
        spectrum[k] *= std::pow(f, -alpha / 2.0);
    }
    kissfft<double>(size, true).transform(spectrum.data(), shaped.data());
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += shaped[i].real() * shaped[i].real();
    const double scale = sum > 0.0 ? 1.0 / std::sqrt(sum / static_cast<double>(n)) : 0.0;
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(shaped[i].real() * scale);
    return out;
}

std::vector<float> noise_segment(std::span<const float> noise, std::size_t n, std::size_t offset) {
    if (noise.empty()) throw std::invalid_argument("noise_segment: the noise recording is empty");
    std::vector<float> out(n);
    std::size_t j = offset % noise.size();
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = noise[j];
        if (++j == noise.size()) j = 0;
    }
    return out;
}

std::vector<float> add_noise(std::span<const float> signal, std::span<const float> noise, double snr_db) {
    if (!std::isfinite(snr_db)) throw std::invalid_argument("add_noise: the SNR must be a finite number of dB");
    if (noise.size() < signal.size())
        throw std::invalid_argument("add_noise: the noise (" + std::to_string(noise.size()) +
                                    " samples) is shorter than the signal (" + std::to_string(signal.size()) + ")");
    require_usable_pcm(signal, "the signal to add noise to");
    require_usable_pcm(noise, "the noise");
    const auto used = noise.first(signal.size());
    const double signal_power = mean_square(signal);
    const double noise_power = mean_square(used);
    if (signal_power <= 0.0) throw std::invalid_argument("add_noise: the signal is silent, so no SNR can be set");
    if (noise_power <= 0.0) throw std::invalid_argument("add_noise: the noise is silent");
    const double gain = std::sqrt(signal_power / (noise_power * std::pow(10.0, snr_db / 10.0)));
    std::vector<float> out(signal.size());
    for (std::size_t i = 0; i < signal.size(); ++i)
        out[i] = static_cast<float>(static_cast<double>(signal[i]) + gain * static_cast<double>(used[i]));
    return out;
}

}  // namespace ser
