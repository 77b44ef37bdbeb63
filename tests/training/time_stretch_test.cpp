#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "training/augment/time_stretch.h"
#include "training_test_support.h"

using namespace ser;

TEST_CASE("WSOLA stretch changes the duration by the factor and keeps the pitch") {
    constexpr int rate = 16000;
    for (double f0 : {110.0, 180.0, 290.0}) {
        const auto tone = test::harmonic_tone(f0, 6, 1.0, rate);
        CHECK(test::estimate_pitch(std::span(tone).subspan(4000, 6000), rate) == doctest::Approx(f0).epsilon(0.005));
        for (double factor : {0.7, 0.85, 1.2, 1.5}) {
            const auto stretched = time_stretch(tone, rate, factor);
            INFO("f0 ", f0, " factor ", factor);
            CHECK(stretched.size() == static_cast<std::size_t>(std::llround(tone.size() * factor)));
            const std::size_t middle = stretched.size() / 2;
            CHECK(test::estimate_pitch(std::span(stretched).subspan(middle - 3000, 6000), rate) ==
                  doctest::Approx(f0).epsilon(0.01));
            // Level is kept (no dips where frames overlap out of phase).
            CHECK(test::rms(std::span(stretched).subspan(2000, stretched.size() - 4000)) ==
                  doctest::Approx(test::rms(tone)).epsilon(0.05));
        }
    }
}

TEST_CASE("stretch by 1 reproduces a steady signal, and bad input is refused") {
    const auto tone = test::harmonic_tone(200.0, 3, 0.5, 16000);
    const auto same = time_stretch(tone, 16000, 1.0);
    REQUIRE(same.size() == tone.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < tone.size(); ++i) worst = std::max(worst, static_cast<double>(std::fabs(same[i] - tone[i])));
    CHECK(worst < 1e-4);
    CHECK(time_stretch({}, 16000, 1.3).empty());
    CHECK_THROWS_AS(time_stretch(tone, 16000, 5.0), std::invalid_argument);
    CHECK_THROWS_AS(time_stretch(tone, 16000, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(time_stretch(tone, 16000, std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(time_stretch(tone, 0, 1.1), std::invalid_argument);
    auto bad = tone;
    bad[100] = std::nanf("");
    CHECK_THROWS_AS(time_stretch(bad, 16000, 1.1), std::invalid_argument);
}
