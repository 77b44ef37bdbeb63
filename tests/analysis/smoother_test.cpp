#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/smoother.h"

TEST_SUITE("analysis") {

TEST_CASE("a step reaches 63 % after one time constant") {
    ser::ProbabilitySmoother smoother(2, 0.25, 1.0);
    const std::vector<float> a = {1.0f, 0.0f};
    const std::vector<float> b = {0.0f, 1.0f};
    auto out = smoother.push(a);
    CHECK(out[0] == 1.0f);  // the first window is taken as is
    for (int i = 0; i < 4; ++i) out = smoother.push(b);
    CHECK(out[1] == doctest::Approx(1.0 - std::exp(-1.0)).epsilon(1e-5));
    CHECK(out[0] + out[1] == doctest::Approx(1.0));
}

TEST_CASE("zero time constant passes windows through; silence forgets the past") {
    ser::ProbabilitySmoother smoother(2, 0.25, 0.0, 1.0);
    const std::vector<float> a = {0.2f, 0.8f};
    CHECK(smoother.push(a)[1] == 0.8f);
    smoother.set_time_constant(10.0);
    for (int i = 0; i < 3; ++i) smoother.skip();
    CHECK(smoother.has_value());
    smoother.skip();  // 1 s without speech
    CHECK_FALSE(smoother.has_value());
    const std::vector<float> b = {0.9f, 0.1f};
    CHECK(smoother.push(b)[0] == 0.9f);
}

TEST_CASE("bad arguments are refused") {
    CHECK_THROWS_AS(ser::ProbabilitySmoother(0, 0.25, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(ser::ProbabilitySmoother(3, 0.0, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(ser::ProbabilitySmoother(3, 0.25, -1.0), std::invalid_argument);
    ser::ProbabilitySmoother smoother(3, 0.25, 1.0);
    CHECK_THROWS_AS(smoother.push(std::vector<float>{0.5f, 0.5f}), std::invalid_argument);
}

}
