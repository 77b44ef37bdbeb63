#include <doctest/doctest.h>

#include <stdexcept>

#include <limits>

#include "training/augment/gain_shift.h"

using namespace ser;

TEST_CASE("gain scales by 10^(dB/20)") {
    const std::vector<float> x = {0.1f, -0.2f, 0.4f};
    const auto louder = apply_gain(x, 6.0);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(louder[i] == doctest::Approx(x[i] * 1.99526231));
    const auto quieter = apply_gain(x, -20.0);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(quieter[i] == doctest::Approx(x[i] * 0.1));
    CHECK(apply_gain(x, 0.0) == x);
    CHECK_THROWS_AS(apply_gain(x, std::numeric_limits<double>::infinity()), std::invalid_argument);
    CHECK_THROWS_AS(apply_gain(std::vector<float>{std::numeric_limits<float>::quiet_NaN()}, 1.0), std::invalid_argument);
}

TEST_CASE("time shift: circular wraps, padded fills with zeros") {
    const std::vector<float> x = {1, 2, 3, 4, 5};
    CHECK(time_shift(x, 2, ShiftMode::circular) == std::vector<float>{4, 5, 1, 2, 3});
    CHECK(time_shift(x, -1, ShiftMode::circular) == std::vector<float>{2, 3, 4, 5, 1});
    CHECK(time_shift(x, 12, ShiftMode::circular) == std::vector<float>{4, 5, 1, 2, 3});
    CHECK(time_shift(x, 2, ShiftMode::padded) == std::vector<float>{0, 0, 1, 2, 3});
    CHECK(time_shift(x, -2, ShiftMode::padded) == std::vector<float>{3, 4, 5, 0, 0});
    CHECK(time_shift(x, 9, ShiftMode::padded) == std::vector<float>(5, 0.0f));
    CHECK(time_shift(x, std::numeric_limits<std::int64_t>::min(), ShiftMode::padded) == std::vector<float>(5, 0.0f));
    CHECK(time_shift({}, 3, ShiftMode::circular).empty());
    CHECK(parse_shift_mode("padded") == ShiftMode::padded);
    CHECK_THROWS_AS(parse_shift_mode("wrap"), std::invalid_argument);
}
