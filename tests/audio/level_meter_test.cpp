#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "audio/level_meter.h"

TEST_SUITE("audio") {

TEST_CASE("rms_dbfs of known signals") {
    std::vector<float> full(1000, 1.0f);
    CHECK(ser::rms_dbfs(full) == doctest::Approx(0.0).epsilon(1e-6));
    std::vector<float> half(1000, 0.5f);
    CHECK(ser::rms_dbfs(half) == doctest::Approx(20.0 * std::log10(0.5)).epsilon(1e-5));
    CHECK(ser::rms_dbfs(std::vector<float>(64, 0.0f)) == ser::silence_floor_dbfs);
    CHECK(ser::rms_dbfs({}) == ser::silence_floor_dbfs);
}

TEST_CASE("ac_rms_dbfs measures about the mean: an offset adds nothing") {
    std::vector<float> tone(1600), offset(1600);
    for (std::size_t i = 0; i < tone.size(); ++i) {
        tone[i] = 0.25f * static_cast<float>(std::sin(0.05 * static_cast<double>(i)));
        offset[i] = tone[i] + 0.5f;
    }
    CHECK(ser::ac_rms_dbfs(tone) == doctest::Approx(ser::rms_dbfs(tone)).epsilon(1e-3));
    CHECK(ser::ac_rms_dbfs(offset) == doctest::Approx(ser::ac_rms_dbfs(tone)).epsilon(1e-3));
    CHECK(ser::rms_dbfs(offset) > ser::rms_dbfs(tone) + 5.0f);  // what the offset did before
    CHECK(ser::ac_rms_dbfs(std::vector<float>(320, 0.3f)) == ser::silence_floor_dbfs);
    CHECK(ser::ac_rms_dbfs(std::vector<float>(320, -1.0f)) == ser::silence_floor_dbfs);
    CHECK(ser::ac_rms_dbfs({}) == ser::silence_floor_dbfs);
}

TEST_CASE("LevelMeter attacks at once and releases at the given rate") {
    ser::LevelMeter meter(1000.0f, 40.0f);
    meter.push(std::vector<float>(100, 1.0f));
    CHECK(meter.meter_dbfs() == doctest::Approx(0.0));
    CHECK(meter.peak() == 1.0f);
    // 0.5 s of silence at 40 dB/s: the meter shows -20 dB, the block itself is silent.
    meter.push(std::vector<float>(500, 0.0f));
    CHECK(meter.block_dbfs() == ser::silence_floor_dbfs);
    CHECK(meter.meter_dbfs() == doctest::Approx(-20.0));
    CHECK(meter.samples_seen() == 600);
    meter.reset();
    CHECK(meter.samples_seen() == 0);
    CHECK(meter.meter_dbfs() == ser::silence_floor_dbfs);
}

TEST_CASE("LevelMeter rejects a non-positive sample rate") {
    CHECK_THROWS_AS(ser::LevelMeter{0.0f}, std::invalid_argument);
    CHECK_THROWS_AS(ser::LevelMeter{std::numeric_limits<float>::quiet_NaN()}, std::invalid_argument);
}

}
