// The degradations real recordings bring: a telephone line, a speech codec, loose silence.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "audio/silence.h"
#include "training/augment/pipeline.h"
#include "training/augment/telephone.h"
#include "training/dataset.h"

using namespace ser;

namespace {

std::vector<float> tone(double hz, int rate = 16000, double seconds = 1.0, double amplitude = 0.3) {
    std::vector<float> x(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate));
    return x;
}

// Level in dB of the middle half (away from filter start-up and edges).
double level_db(const std::vector<float>& x) {
    double sum = 0.0;
    const std::size_t a = x.size() / 4, b = 3 * x.size() / 4;
    for (std::size_t i = a; i < b; ++i) sum += static_cast<double>(x[i]) * x[i];
    return 10.0 * std::log10(sum / static_cast<double>(b - a) + 1e-30);
}

}  // namespace

TEST_CASE("the telephone band keeps speech's middle and removes what a phone line cannot carry") {
    for (double hz : {500.0, 1000.0, 3000.0}) {
        const auto x = tone(hz);
        CHECK(std::abs(level_db(telephone_band(x, 16000, 8000)) - level_db(x)) < 1.0);
    }
    const auto low = tone(100.0);
    CHECK(level_db(telephone_band(low, 16000, 8000)) < level_db(low) - 25.0);
    const auto high = tone(6000.0);
    CHECK(level_db(telephone_band(high, 16000, 8000)) < level_db(high) - 60.0);
    CHECK(telephone_band(high, 16000, 8000).size() == high.size());
}

TEST_CASE("an Opus round trip keeps the length and the sound, and refuses what Opus cannot code") {
    std::vector<float> x(16000);  // a broadband chirp, so that only one lag fits
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / 16000.0;
        x[i] = static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * (200.0 * t + 1400.0 * t * t)));
    }
    const auto coded = opus_round_trip(x, 16000, 16);
    REQUIRE(coded.size() == x.size());
    // Aligned: the output correlates best with the input at lag 0, and closely.
    auto correlation = [&](int lag) {
        double xy = 0.0, xx = 0.0, yy = 0.0;
        for (std::size_t i = x.size() / 4; i < 3 * x.size() / 4; ++i) {
            const double a = x[i], b = coded[static_cast<std::size_t>(static_cast<long>(i) + lag)];
            xy += a * b, xx += a * a, yy += b * b;
        }
        return xy / std::sqrt(xx * yy);
    };
    int best = 0;
    for (int lag = -40; lag <= 40; ++lag)
        if (correlation(lag) > correlation(best)) best = lag;
    CHECK(best == 0);
    CHECK(correlation(0) > 0.8);
    CHECK_THROWS_WITH_AS(opus_round_trip(x, 22050, 16), doctest::Contains("not an Opus rate"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(opus_round_trip(x, 16000, 2), doctest::Contains("bitrate"), std::invalid_argument);
}

TEST_CASE("padding puts digital silence on both sides") {
    const std::vector<float> x = {0.5f, -0.5f};
    CHECK(pad_silence(x, 2) == std::vector<float>{0, 0, 0.5f, -0.5f, 0, 0});
}

TEST_CASE("test conditions for real recordings: silence, level, telephone, codec") {
    for (const char* text : {"pad:1", "gain:-20", "gain:6", "phone:8000", "opus:12"}) {
        const TestCondition c = parse_test_condition(text);
        CHECK(c.name == text);
        REQUIRE(c.degrade.steps.size() == 1);
        CHECK(c.degrade.steps[0].probability == 1.0);
    }
    const AugmentationPipeline pad(parse_test_condition("pad:1").degrade, 16000);
    CHECK(pad.apply(tone(300.0), 7).size() == 48000);
    CHECK_THROWS_WITH_AS(parse_test_condition("phone:2000"), doctest::Contains("rate_hz"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_test_condition("hiss:3"), doctest::Contains("pad:SECONDS"), std::invalid_argument);
}
