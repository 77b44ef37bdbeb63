#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "training/augment/reverb.h"
#include "training_test_support.h"

using namespace ser;

namespace {

// RT60 from the Schroeder backward integral of the tail: the -5 dB to -25 dB decay (T20),
// least-squares fitted and extrapolated to 60 dB.
double measured_rt60(const std::vector<float>& rir, int rate) {
    std::vector<double> energy(rir.size() + 1, 0.0);
    for (std::size_t i = rir.size(); i-- > 1;) energy[i] = energy[i + 1] + static_cast<double>(rir[i]) * rir[i];
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (std::size_t i = 1; i < rir.size(); ++i) {
        const double db = 10.0 * std::log10(energy[i] / energy[1]);
        if (db > -5.0 || db < -25.0) continue;
        const double t = static_cast<double>(i) / rate;
        sx += t, sy += db, sxx += t * t, sxy += t * db;
        ++n;
    }
    const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);  // dB per second
    return -60.0 / slope;
}

}  // namespace

TEST_CASE("synthetic room impulse responses decay at the requested RT60 with the requested DRR") {
    constexpr int rate = 16000;
    for (double rt60 : {0.2, 0.5, 1.2}) {
        for (double drr : {-5.0, 0.0, 10.0}) {
            nn::Rng rng(static_cast<std::uint64_t>(rt60 * 1000 + drr));
            const auto rir = synthetic_rir(rate, {rt60, drr}, rng);
            INFO("rt60 ", rt60, " drr ", drr);
            CHECK(rir.size() == static_cast<std::size_t>(std::ceil(rt60 * rate)));
            CHECK(rir[0] == 1.0f);
            CHECK(measured_rt60(rir, rate) == doctest::Approx(rt60).epsilon(0.1));
            double tail = 0.0;
            for (std::size_t i = 1; i < rir.size(); ++i) tail += static_cast<double>(rir[i]) * rir[i];
            CHECK(10.0 * std::log10(1.0 / tail) == doctest::Approx(drr).epsilon(0.01).scale(1.0));
        }
    }
    nn::Rng a(4), b(4);
    CHECK(synthetic_rir(rate, {}, a) == synthetic_rir(rate, {}, b));
    CHECK_THROWS_AS(synthetic_rir(rate, {5.0, 0.0}, a), std::invalid_argument);
    CHECK_THROWS_AS(synthetic_rir(rate, {0.3, 90.0}, a), std::invalid_argument);
}

TEST_CASE("reverberation keeps the length and the level, and smears the signal in time") {
    constexpr int rate = 16000;
    std::vector<float> clicks(rate, 0.0f);
    for (std::size_t i = 1000; i < clicks.size(); i += 4000) clicks[i] = 1.0f;
    nn::Rng rng(9);
    const auto rir = synthetic_rir(rate, {0.4, 0.0}, rng);
    const auto wet = reverberate(clicks, rir);
    REQUIRE(wet.size() == clicks.size());
    CHECK(test::rms(wet) == doctest::Approx(test::rms(clicks)).epsilon(1e-4));
    CHECK(std::fabs(wet[1000 + 800]) > 0.0f);   // 50 ms after a click: the room still rings
    CHECK(wet[500] == doctest::Approx(0.0));  // before the first click: silence (causal)

    const std::vector<float> dirac = {1.0f};
    const auto tone = test::harmonic_tone(300.0, 2, 0.1, rate);
    const auto dry = reverberate(tone, dirac);
    for (std::size_t i = 0; i < tone.size(); ++i) CHECK(dry[i] == doctest::Approx(tone[i]).epsilon(1e-5));
    CHECK_THROWS_AS(reverberate(tone, std::vector<float>{}), std::invalid_argument);
}
