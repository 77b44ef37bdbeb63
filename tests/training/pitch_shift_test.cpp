#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "training/augment/pitch_shift.h"
#include "training_test_support.h"

using namespace ser;

TEST_CASE("pitch shift moves the pitch by the ratio and keeps the duration") {
    constexpr int rate = 16000;
    for (double f0 : {120.0, 220.0}) {
        const auto tone = test::harmonic_tone(f0, 5, 1.0, rate);
        for (double semitones : {-4.0, -1.0, 2.0, 5.0}) {
            const double ratio = semitones_to_ratio(semitones);
            const auto shifted = pitch_shift(tone, rate, ratio);
            INFO("f0 ", f0, " semitones ", semitones);
            CHECK(shifted.size() == tone.size());
            CHECK(test::estimate_pitch(std::span(shifted).subspan(5000, 6000), rate) ==
                  doctest::Approx(f0 * ratio).epsilon(0.01));
        }
    }
    CHECK(semitones_to_ratio(12.0) == doctest::Approx(2.0));
    CHECK(semitones_to_ratio(-12.0) == doctest::Approx(0.5));
}

TEST_CASE("pitch shift refuses ratios and rates it cannot serve") {
    const auto tone = test::harmonic_tone(200.0, 3, 0.2, 16000);
    CHECK_THROWS_AS(pitch_shift(tone, 16000, 2.5), std::invalid_argument);
    CHECK_THROWS_WITH_AS(pitch_shift(tone, 8000, 0.8), doctest::Contains("outside the resampler"), std::invalid_argument);
    CHECK(pitch_shift({}, 16000, 1.1).empty());
}

TEST_CASE("speed change moves pitch and tempo together") {
    constexpr int rate = 16000;
    const auto tone = test::harmonic_tone(150.0, 5, 1.0, rate);
    for (double factor : {0.9, 1.1}) {
        const auto faster = change_speed(tone, rate, factor);
        INFO("factor ", factor);
        CHECK(static_cast<double>(faster.size()) == doctest::Approx(static_cast<double>(tone.size()) / factor).epsilon(0.003));
        CHECK(test::estimate_pitch(std::span(faster).subspan(3000, 6000), rate) == doctest::Approx(150.0 * factor).epsilon(0.01));
    }
    CHECK(change_speed(tone, rate, 1.0) == tone);  // the identity reads the clip as it is
    CHECK_THROWS_WITH_AS(change_speed(tone, rate, 3.0), doctest::Contains("change_speed"), std::invalid_argument);
}
