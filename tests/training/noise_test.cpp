#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>
#include <complex>
#include <kissfft/kissfft.hh>
#include <limits>

#include "training/augment/fft.h"
#include "training/augment/noise.h"
#include "training_test_support.h"

using namespace ser;

namespace {

double achieved_snr_db(std::span<const float> clean, std::span<const float> noisy) {
    double signal = 0.0, noise = 0.0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        signal += static_cast<double>(clean[i]) * clean[i];
        const double d = static_cast<double>(noisy[i]) - clean[i];
        noise += d * d;
    }
    return 10.0 * std::log10(signal / noise);
}

// Least-squares slope of log10(power) against log10(frequency) over 50 Hz..4 kHz at 16 kHz,
// from the periodogram averaged in 1/6-octave bands.
double spectral_slope(const std::vector<float>& noise) {
    const std::size_t n = noise.size();
    std::vector<std::complex<double>> in(n), out(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = noise[i];
    kissfft<double>(n, false).transform(in.data(), out.data());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int points = 0;
    for (double low = 50.0; low < 4000.0; low *= std::pow(2.0, 1.0 / 6.0)) {
        const double high = low * std::pow(2.0, 1.0 / 6.0);
        double power = 0.0;
        int bins = 0;
        for (auto k = static_cast<std::size_t>(std::ceil(low * n / 16000.0)); k < high * n / 16000.0; ++k) {
            power += std::norm(out[k]);
            ++bins;
        }
        if (bins == 0) continue;
        const double x = std::log10(std::sqrt(low * high)), y = std::log10(power / bins);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
        ++points;
    }
    return (points * sxy - sx * sy) / (points * sxx - sx * sx);
}

}  // namespace

TEST_CASE("added noise reaches the requested SNR within 0.1 dB for every colour and a recording") {
    const auto speech_like = test::harmonic_tone(140.0, 8, 1.5, 16000);
    nn::Rng rng(5);
    std::vector<float> recording = test::harmonic_tone(50.0, 3, 0.3, 16000);  // shorter than the clip: looped
    for (auto& v : recording) v += static_cast<float>(0.05 * rng.normal());
    for (double snr : {-5.0, 0.0, 10.0, 20.0, 40.0}) {
        for (NoiseColour colour : {NoiseColour::white, NoiseColour::pink, NoiseColour::brown}) {
            const auto noise = coloured_noise(speech_like.size(), colour, rng);
            const auto noisy = add_noise(speech_like, noise, snr);
            CHECK_MESSAGE(std::fabs(achieved_snr_db(speech_like, noisy) - snr) < 0.1, noise_colour_name(colour), " ", snr);
        }
        const auto segment = noise_segment(recording, speech_like.size(), 1234);
        CHECK(std::fabs(achieved_snr_db(speech_like, add_noise(speech_like, segment, snr)) - snr) < 0.1);
    }
}

TEST_CASE("coloured noise has unit RMS and the spectral slope of its colour") {
    nn::Rng rng(11);
    const double expected[] = {0.0, -1.0, -2.0};
    for (NoiseColour colour : {NoiseColour::white, NoiseColour::pink, NoiseColour::brown}) {
        const auto noise = coloured_noise(1 << 16, colour, rng);
        CHECK(test::rms(noise) == doctest::Approx(1.0).epsilon(1e-4));
        CHECK_MESSAGE(std::fabs(spectral_slope(noise) - expected[static_cast<int>(colour)]) < 0.12, noise_colour_name(colour));
    }
    nn::Rng a(3), b(3);
    CHECK(coloured_noise(1000, NoiseColour::pink, a) == coloured_noise(1000, NoiseColour::pink, b));
    CHECK(parse_noise_colour("brown") == NoiseColour::brown);
    CHECK_THROWS_AS(parse_noise_colour("purple"), std::invalid_argument);
}

TEST_CASE("noise helpers: looping, and bad input refused") {
    const std::vector<float> noise = {1, 2, 3};
    CHECK(noise_segment(noise, 7, 2) == std::vector<float>{3, 1, 2, 3, 1, 2, 3});
    CHECK_THROWS_AS(noise_segment({}, 3, 0), std::invalid_argument);

    const std::vector<float> signal = {0.5f, -0.5f, 0.25f};
    const std::vector<float> silent(3, 0.0f);
    CHECK_THROWS_WITH_AS(add_noise(silent, noise, 10.0), doctest::Contains("silent"), std::invalid_argument);
    CHECK_THROWS_AS(add_noise(signal, silent, 10.0), std::invalid_argument);
    CHECK_THROWS_WITH_AS(add_noise(signal, std::vector<float>{1.0f}, 10.0), doctest::Contains("shorter"), std::invalid_argument);
    CHECK_THROWS_AS(add_noise(signal, noise, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    const std::vector<float> bad = {0.5f, std::numeric_limits<float>::infinity(), 0.1f};
    CHECK_THROWS_AS(add_noise(bad, noise, 10.0), std::invalid_argument);
}

TEST_CASE("FFT convolution equals direct convolution") {
    nn::Rng rng(2);
    for (std::size_t n : {1u, 7u, 64u, 301u}) {
        for (std::size_t m : {1u, 5u, 97u}) {
            std::vector<float> a(n), b(m);
            for (auto& v : a) v = static_cast<float>(rng.normal());
            for (auto& v : b) v = static_cast<float>(rng.normal());
            const auto fast = fft_convolve(a, b);
            REQUIRE(fast.size() == n + m - 1);
            for (std::size_t k = 0; k < fast.size(); ++k) {
                double direct = 0.0;
                for (std::size_t i = 0; i < n; ++i)
                    if (k >= i && k - i < m) direct += static_cast<double>(a[i]) * b[k - i];
                CHECK(fast[k] == doctest::Approx(direct).epsilon(1e-5).scale(1.0));
            }
        }
    }
    CHECK(fast_fft_size(1) == 1);
    CHECK(fast_fft_size(7) == 8);
    CHECK(fast_fft_size(121) == 125);
    CHECK(fast_fft_size(30001) == 30375);
}
