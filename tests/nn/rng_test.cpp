// Pins values of both kinds of random numbers: the shipped models' selftests depend on the
// counter stream, recorded splits and training runs on Rng, so any drift must fail here
// first (and here, not in a model file, say why).
#include <doctest/doctest.h>

#include <numeric>
#include <span>
#include <vector>

#include "nn/rng.h"

using namespace ser::nn;

TEST_CASE("counter_uniform: value i of a seed's stream, independent of other draws") {
    CHECK(counter_uniform(0, 0, -1.0f, 1.0f) == 0x1.8882ap-1f);
    CHECK(counter_uniform(7, 0, -1.0f, 1.0f) == -0x1.c341fp-3f);
    CHECK(counter_uniform(7, 5, -1.0f, 1.0f) == 0x1.43ff9p-3f);
    CHECK(counter_uniform(20261125, 100, -1.0f, 1.0f) == -0x1.79d85p-2f);
    // The stream is seed + i: seed 1's first value is seed 0's second.
    CHECK(counter_uniform(1, 0, -1.0f, 1.0f) == counter_uniform(0, 1, -1.0f, 1.0f));

    std::vector<float> filled(101);
    fill_uniform(filled, 7, -1.0f, 1.0f);
    CHECK(filled[5] == counter_uniform(7, 5, -1.0f, 1.0f));
    CHECK(filled[100] == -0x1.73f62cp-1f);
    for (float v : filled) CHECK((v >= -1.0f && v < 1.0f));
}

TEST_CASE("Rng: xoshiro256** seeded through splitmix64, the same draws everywhere") {
    Rng r(42);
    CHECK(r.next() == 0x15780b2e0c2ec716ull);
    CHECK(r.next() == 0x6104d9866d113a7eull);
    CHECK(r.uniform() == 0x1.5c2ea66473c93p-1);
    CHECK(r.uniform(-3.0, 5.0) == 0x1.19715a8e0766cp+2);
    CHECK(r.below(10) == 6);
    // Through std::log and std::cos, which may differ in the last bit between libms.
    CHECK(r.normal() == doctest::Approx(-0x1.50ddefa736061p-2).epsilon(1e-12));

    Rng zero(0);
    CHECK(zero.next() == 0x99ec5f36cb75f2b4ull);

    std::vector<int> v(10);
    std::iota(v.begin(), v.end(), 0);
    Rng(3).shuffle(std::span(v));
    CHECK(v == std::vector<int>{6, 7, 3, 4, 5, 2, 0, 9, 1, 8});
    CHECK_THROWS(r.below(0));
}

TEST_CASE("mix_seed: a fixed, order-dependent mix of two values") {
    CHECK(mix_seed(1, 2) == 0x3b1b0e451c584f33ull);
    CHECK(mix_seed(7, 0) == 0xb5797614a22954b2ull);
    CHECK(mix_seed(1, 2) != mix_seed(2, 1));
}
