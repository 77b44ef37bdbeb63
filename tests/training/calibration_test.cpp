#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "nn/rng.h"
#include "training/calibration.h"

using namespace ser;

TEST_CASE("ECE of a hand-computed example") {
    // Confidences 0.9 (right), 0.81 (wrong), 0.7 (right), 0.55 (wrong), each in its own bin.
    const float p[] = {0.9f, 0.1f, 0.81f, 0.19f, 0.3f, 0.7f, 0.45f, 0.55f};
    const int truth[] = {0, 1, 1, 0};
    CHECK(expected_calibration_error(p, 2, truth) == doctest::Approx((0.1 + 0.81 + 0.3 + 0.55) / 4.0).epsilon(1e-6));
    // 0.9 and 0.92 share the (13/15, 14/15] bin: accuracy 0.5 against confidence 0.91.
    const float shared[] = {0.9f, 0.1f, 0.92f, 0.08f};
    const int shared_truth[] = {0, 1};
    CHECK(expected_calibration_error(shared, 2, shared_truth) == doctest::Approx(0.41).epsilon(1e-6));
    // With one bin ECE is |accuracy - mean confidence|.
    CHECK(expected_calibration_error(p, 2, truth, 1) == doctest::Approx(std::fabs(0.5 - (0.9 + 0.81 + 0.7 + 0.55) / 4.0)));
}

TEST_CASE("ECE refuses logits, NaN and mismatched sizes") {
    const float logits[] = {2.0f, -1.0f};
    const int truth[] = {0};
    CHECK_THROWS_WITH_AS(expected_calibration_error(logits, 2, truth), doctest::Contains("not logits"), std::invalid_argument);
    const float unnormalised[] = {0.5f, 0.6f};
    CHECK_THROWS_WITH_AS(expected_calibration_error(unnormalised, 2, truth), doctest::Contains("sum to"), std::invalid_argument);
    const float nan[] = {NAN, 0.5f};
    CHECK_THROWS_AS(expected_calibration_error(nan, 2, truth), std::invalid_argument);
    const int two[] = {0, 1};
    CHECK_THROWS_AS(expected_calibration_error(logits, 2, two), std::invalid_argument);
    const int bad_class[] = {2};
    CHECK_THROWS_AS(expected_calibration_error(unnormalised, 2, bad_class), std::invalid_argument);
}

TEST_CASE("temperature fitting recovers the temperature that generated the labels") {
    constexpr int classes = 4, n = 20000;
    for (double true_temperature : {0.5, 2.0}) {
        nn::Rng rng(static_cast<std::uint64_t>(true_temperature * 10));
        std::vector<float> logits(static_cast<std::size_t>(n * classes));
        for (auto& z : logits) z = static_cast<float>(3.0 * rng.normal());
        const auto p = softmax_with_temperature(logits, classes, true_temperature);
        std::vector<int> truth(n);
        for (int i = 0; i < n; ++i) {
            double u = rng.uniform();
            int k = 0;
            while (k < classes - 1 && (u -= p[static_cast<std::size_t>(i * classes + k)]) > 0.0) ++k;
            truth[static_cast<std::size_t>(i)] = k;
        }
        const TemperatureFit fit = fit_temperature(logits, classes, truth);
        CHECK(fit.temperature == doctest::Approx(true_temperature).epsilon(0.05));
        CHECK(fit.nll_after <= fit.nll_before);
        CHECK(mean_nll(logits, classes, truth, fit.temperature * 1.05) >= fit.nll_after);
        CHECK(mean_nll(logits, classes, truth, fit.temperature / 1.05) >= fit.nll_after);

        // Calibrated probabilities are better calibrated.
        const double before = expected_calibration_error(softmax_with_temperature(logits, classes, 1.0), classes, truth);
        const double after = expected_calibration_error(softmax_with_temperature(logits, classes, fit.temperature), classes, truth);
        CHECK(after < before);
        CHECK(after < 0.02);
    }
}

TEST_CASE("temperature fit at its limits and on bad input") {
    const float separable[] = {10.0f, -10.0f, -10.0f, 10.0f};
    const int truth[] = {0, 1};
    CHECK(fit_temperature(separable, 2, truth).temperature == doctest::Approx(0.05));
    const float flat_wrong[] = {1.0f, -1.0f, 1.0f, -1.0f};  // confidently wrong half the time
    const int mixed[] = {0, 1};
    CHECK(fit_temperature(flat_wrong, 2, mixed).temperature == doctest::Approx(20.0));
    const float nan[] = {NAN, 0.0f};
    const int one[] = {0};
    CHECK_THROWS_AS(fit_temperature(nan, 2, one), std::invalid_argument);
    CHECK_THROWS_AS(softmax_with_temperature(separable, 2, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(mean_nll(separable, 2, truth, -1.0), std::invalid_argument);
    const auto p = softmax_with_temperature(separable, 2, 1.0);
    CHECK(p[0] + p[1] == doctest::Approx(1.0f));
}
