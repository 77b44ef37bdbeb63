#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "training/metrics.h"

using namespace ser;

TEST_CASE("metrics of a small hand-computed example") {
    // Classes A=0, B=1, C=2.
    const int truth[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    const int predicted[] = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};
    const ConfusionMatrix m = confusion_matrix(truth, predicted, 3);
    CHECK(m.counts == std::vector<std::int64_t>{2, 1, 1, 1, 2, 0, 0, 1, 2});
    CHECK(m.total() == 10);

    const ClassificationScores s = score(m);
    CHECK(s.accuracy == doctest::Approx(0.6));
    CHECK(s.per_class[0].recall == doctest::Approx(0.5));
    CHECK(s.per_class[1].recall == doctest::Approx(2.0 / 3.0));
    CHECK(s.per_class[2].recall == doctest::Approx(2.0 / 3.0));
    CHECK(s.uar == doctest::Approx((0.5 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0));
    CHECK(s.per_class[0].precision == doctest::Approx(2.0 / 3.0));
    CHECK(s.per_class[1].precision == doctest::Approx(0.5));
    CHECK(s.per_class[2].precision == doctest::Approx(2.0 / 3.0));
    CHECK(s.per_class[0].f1 == doctest::Approx(4.0 / 7.0));
    CHECK(s.per_class[1].f1 == doctest::Approx(4.0 / 7.0));
    CHECK(s.per_class[2].f1 == doctest::Approx(2.0 / 3.0));
    CHECK(s.macro_f1 == doctest::Approx(38.0 / 63.0));
    CHECK(s.per_class[0].support == 4);
    CHECK(s.per_class[1].support == 3);
}

TEST_CASE("a class absent from the truth does not drag UAR down; one never predicted has precision 0") {
    const int truth[] = {0, 0, 1, 1};
    const int predicted[] = {0, 3, 1, 1};
    const ClassificationScores s = score(confusion_matrix(truth, predicted, 4));
    CHECK(s.accuracy == doctest::Approx(0.75));
    CHECK(s.uar == doctest::Approx(0.75));  // mean of recalls 0.5 and 1 (classes 2, 3 never occur)
    CHECK(s.per_class[2].precision == 0.0);
    CHECK(s.per_class[2].support == 0);
    CHECK(s.per_class[3].precision == 0.0);  // predicted once, wrongly
    CHECK(s.per_class[3].f1 == 0.0);
}

TEST_CASE("confusion matrices merge; bad input is refused") {
    ConfusionMatrix a(2), b(2);
    a.add(0, 1);
    b.add(0, 1);
    b.add(1, 1);
    a.merge(b);
    CHECK(a.at(0, 1) == 2);
    CHECK(a.at(1, 1) == 1);
    CHECK_THROWS_AS(a.merge(ConfusionMatrix(3)), std::invalid_argument);
    CHECK_THROWS_AS(a.add(2, 0), std::invalid_argument);
    CHECK_THROWS_AS(a.add(0, -1), std::invalid_argument);
    const int two[] = {0, 1};
    const int one[] = {0};
    CHECK_THROWS_AS(confusion_matrix(two, one, 2), std::invalid_argument);
    CHECK_THROWS_WITH_AS(score(ConfusionMatrix(3)), doctest::Contains("empty"), std::invalid_argument);
}

TEST_CASE("mean and sample standard deviation over folds") {
    const double folds[] = {0.3, 0.5};
    const MeanSd m = mean_sd(folds);
    CHECK(m.mean == doctest::Approx(0.4));
    CHECK(m.sd == doctest::Approx(std::sqrt(0.02)));
    const double six[] = {0.34, 0.36, 0.31, 0.38, 0.35, 0.33};
    CHECK(mean_sd(six).mean == doctest::Approx(0.345));
    CHECK(mean_sd(six).sd == doctest::Approx(0.0242899).epsilon(1e-5));
    const double single[] = {0.7};
    CHECK(mean_sd(single).sd == 0.0);
    CHECK_THROWS_AS(mean_sd({}), std::invalid_argument);
    const double bad[] = {0.1, NAN};
    CHECK_THROWS_AS(mean_sd(bad), std::invalid_argument);
}
