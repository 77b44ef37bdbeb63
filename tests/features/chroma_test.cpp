// librosa's chroma where a signal stops: clicks and noise bursts between stretches of
// digital silence. There a frame's spectrum can be flat to float32 precision, so the last
// bit of each |X| decides piptrack's peaks and with them the tuning estimate.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <vector>

#include "features/feature_config.h"
#include "features/feature_extractor.h"
#include "features/stft.h"

using namespace ser;

namespace {

// np.abs of a complex64 as numpy's SIMD loop computes it (loops_unary_complex): the larger
// part times sqrt(fma(ratio, ratio, 1)), all in float32.
float numpy_abs(float re, float im) {
    const float larger = std::max(std::fabs(re), std::fabs(im));
    const float smaller = std::min(std::fabs(re), std::fabs(im));
    const float ratio = larger == 0.0f ? 0.0f : smaller / larger;
    return std::sqrt(std::fma(ratio, ratio, 1.0f)) * larger;
}

float correctly_rounded_abs(float re, float im) {
    return static_cast<float>(std::hypot(static_cast<double>(re), static_cast<double>(im)));
}

// Noise bursts of a few samples to a few hundred, separated by exact zeros.
std::vector<float> bursts_in_silence(int samples) {
    std::vector<float> pcm(static_cast<std::size_t>(samples), 0.0f);
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.3f);
    const int lengths[] = {1, 3, 40, 400};
    int at = 3000;
    for (int i = 0; at < samples; ++i, at += 5000)
        for (int n = 0; n < lengths[i % 4] && at + n < samples; ++n) pcm[static_cast<std::size_t>(at + n)] = noise(rng);
    return pcm;
}

}  // namespace

TEST_SUITE("features.chroma") {

TEST_CASE("the tuning estimate reads |X| as numpy's complex64 modulus computes it") {
    const FeatureConfig c = feature_preset("librosa");
    const Stft stft(c.stft);
    const int n_fft = c.stft.n_fft;
    const int bins = stft.n_bins();
    // One click; frame t = 4 holds it alone, at an offset where the Hann window is neither
    // 0 nor 1, so every bin's exact value is a rotation of the same complex number.
    std::vector<float> pcm(static_cast<std::size_t>(6 * c.stft.hop_length), 0.0f);
    const int click = 4 * c.stft.hop_length + 301;  // centred frame 4 starts at 4 * hop - n_fft / 2
    pcm[static_cast<std::size_t>(click)] = 0.37f;
    Matrix power;
    std::vector<float> magnitude;
    Stft::Scratch scratch;
    stft.power(pcm, power, &magnitude, scratch);

    const int t = 4;
    const int n = click - (t * c.stft.hop_length - n_fft / 2);
    REQUIRE(n > 0);
    REQUIRE(n < n_fft);
    const long double pi = std::numbers::pi_v<long double>;
    const long double w = 0.5L - 0.5L * std::cos(2.0L * pi * n / n_fft);  // periodic Hann
    const long double a = w * static_cast<long double>(0.37f);
    int differs_from_correct_rounding = 0;
    for (int k = 0; k < bins; ++k) {
        const long double phase = -2.0L * pi * static_cast<long double>(k) * n / n_fft;
        const auto re = static_cast<float>(a * std::cos(phase));  // librosa's complex64 STFT
        const auto im = static_cast<float>(a * std::sin(phase));
        const float expected = numpy_abs(re, im);
        if (expected != correctly_rounded_abs(re, im)) ++differs_from_correct_rounding;
        CAPTURE(k);
        CHECK(magnitude[static_cast<std::size_t>(t) * static_cast<std::size_t>(bins) + static_cast<std::size_t>(k)] ==
              expected);
    }
    // The two moduli must disagree somewhere in this frame, or the check above tells nothing.
    CHECK(differs_from_correct_rounding > 0);
}

TEST_CASE("chroma of digital silence is left as librosa.util.normalize leaves it; other frames peak at 1") {
    const FeatureConfig c = feature_preset("librosa");
    const std::vector<float> pcm = bursts_in_silence(c.sample_rate);
    const FeatureMatrix chroma = FeatureExtractor(c).compute_named(pcm).at("chroma");
    const int half = c.stft.n_fft / 2;
    int silent_frames = 0;
    for (int t = 0; t < chroma.cols; ++t) {
        // The samples centred frame t reads (zero padding outside the signal).
        const int from = std::max(0, t * c.stft.hop_length - half);
        const int to = std::min(static_cast<int>(pcm.size()), t * c.stft.hop_length + half);
        const bool silent = std::all_of(pcm.begin() + from, pcm.begin() + to, [](float v) { return v == 0.0f; });
        float peak = 0.0f;
        for (int r = 0; r < chroma.rows; ++r) peak = std::max(peak, chroma.at(r, t));
        CAPTURE(t);
        // A silent frame's raw chroma is 0, below tiny(float32): librosa leaves the column as
        // it is (fill=None), so it stays exactly 0; any other frame is divided by its maximum.
        if (silent) {
            ++silent_frames;
            CHECK(peak == 0.0f);
        } else {
            CHECK(peak == 1.0f);
        }
    }
    CHECK(silent_frames > 0);
    CHECK(silent_frames < chroma.cols);
}

}  // TEST_SUITE
