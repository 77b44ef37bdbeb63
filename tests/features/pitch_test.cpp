// The frame-local pitch tracker (features/pitch.h) on signals whose pitch is known.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "features/feature_extractor.h"

using namespace ser;

namespace {

// A voice-like tone: F0 and its first harmonics, falling in strength, at 16 kHz.
std::vector<float> harmonic_tone(double f0, double seconds) {
    std::vector<float> x(static_cast<std::size_t>(16000 * seconds));
    for (std::size_t i = 0; i < x.size(); ++i) {
        double v = 0.0;
        for (int h = 1; h <= 6; ++h) v += 0.3 / h * std::sin(2.0 * M_PI * f0 * h * static_cast<double>(i) / 16000.0);
        x[i] = static_cast<float>(v);
    }
    return x;
}

FeatureMatrix named(const std::vector<float>& pcm, const char* name) {
    FeatureConfig c = feature_preset("default");
    c.input.features = {"mel_db", "pitch", "periodicity"};
    return FeatureExtractor(c).compute_named(pcm).at(name);
}

}  // namespace

TEST_SUITE("features.pitch") {

TEST_CASE("a harmonic tone's pitch is found in every frame, from 80 to 400 Hz") {
    for (double f0 : {85.0, 120.0, 180.0, 250.0, 390.0}) {
        CAPTURE(f0);
        const auto tone = harmonic_tone(f0, 0.5);
        const FeatureMatrix pitch = named(tone, "pitch"), periodicity = named(tone, "periodicity");
        REQUIRE(pitch.cols == 48);
        for (int t = 0; t < pitch.cols; ++t) {
            CHECK(std::fabs(pitch.at(0, t) - std::log2(f0 / 100.0)) < 0.01);  // an eighth of a semitone
            CHECK(periodicity.at(0, t) > 0.95f);
        }
    }
}

TEST_CASE("noise and silence are unvoiced") {
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    std::vector<float> hiss(8000);
    for (float& v : hiss) v = noise(rng);
    const FeatureMatrix pitch = named(hiss, "pitch"), periodicity = named(hiss, "periodicity");
    int voiced = 0;
    for (int t = 0; t < pitch.cols; ++t) voiced += pitch.at(0, t) != 0.0f;
    CHECK(voiced <= pitch.cols / 10);
    const std::vector<float> silence(8000, 0.0f);
    const FeatureMatrix quiet = named(silence, "pitch"), still = named(silence, "periodicity");
    for (int t = 0; t < quiet.cols; ++t) {
        CHECK(quiet.at(0, t) == 0.0f);
        CHECK(still.at(0, t) == 0.0f);
    }
}

TEST_CASE("a pitch range no frame can hold gives unvoiced frames, not an error") {
    FeatureConfig c = feature_preset("default");
    c.pitch = {.fmin = 10.0, .fmax = 30.0, .threshold = 0.2};  // lags of 533 samples and more, in 400-sample frames
    c.input.features = {"pitch", "periodicity"};
    FeatureMatrix out;
    FeatureExtractor(c).compute(harmonic_tone(20.0, 0.2), out);
    for (float v : out.values) CHECK(v == 0.0f);
    c.pitch = {.fmin = 100.0, .fmax = 90.0, .threshold = 0.2};
    CHECK_THROWS_AS(validate(c), std::invalid_argument);
}

}  // TEST_SUITE
