#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "app/state/input_meter.h"

using ser::app::InputMeter;

TEST_CASE("a stream counts samples and keeps the most recent ones") {
    InputMeter s(0.5f);
    CHECK_FALSE(s.begun());
    s.begin(8000.0f);
    CHECK(s.recent_capacity() == 4000);
    std::vector<float> block(3000);
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<float>(i) / 3000.0f;
    s.push(block, 8000.0f);
    s.push(block, 8000.0f);
    CHECK(s.samples_received() == 6000);
    std::vector<float> recent(4000);
    REQUIRE(s.copy_recent(recent) == 4000);
    CHECK(recent.back() == block.back());
    CHECK(recent.front() == block[2000]);  // the last 4000 of two 3000-sample ramps
    CHECK(s.level_dbfs() > -10.0f);
    CHECK(s.peak() == doctest::Approx(2999.0f / 3000.0f));
}

TEST_CASE("copy_recent returns only what has arrived") {
    InputMeter s(1.0f);
    std::vector<float> out(100);
    CHECK(s.copy_recent(out) == 0);
    s.begin(16000.0f);
    const std::vector<float> block = {0.5f, -0.5f, 0.25f};
    s.push(block, 16000.0f);
    REQUIRE(s.copy_recent(out) == 3);
    CHECK(out[0] == 0.5f);
    CHECK(out[2] == 0.25f);
}

TEST_CASE("begin restarts counts and level, and resizes the history for a new rate") {
    InputMeter s(1.0f);
    s.begin(48000.0f);
    const std::vector<float> loud(480, 0.9f);
    s.push(loud, 48000.0f);
    s.begin(48000.0f);
    CHECK(s.samples_received() == 0);
    CHECK(s.level_dbfs() == ser::silence_floor_dbfs);
    CHECK(s.peak() == 0.0f);
    std::vector<float> out(10);
    CHECK(s.copy_recent(out) == 0);
    s.begin(22050.0f);
    CHECK(s.recent_capacity() == 22050);
    CHECK(s.sample_rate() == 22050.0f);
}

TEST_CASE("bad input is refused and leaves the stream as it was") {
    InputMeter s(1.0f);
    const std::vector<float> block(10, 0.1f);
    CHECK_THROWS_AS(s.push(block, 16000.0f), std::invalid_argument);  // before begin
    CHECK_THROWS_AS(s.begin(0.0f), std::invalid_argument);
    CHECK_THROWS_AS(s.begin(2000.0f), std::invalid_argument);
    CHECK_THROWS_AS(s.begin(std::numeric_limits<float>::quiet_NaN()), std::invalid_argument);
    CHECK_THROWS_AS(s.begin(1e6f), std::invalid_argument);
    s.begin(16000.0f);
    CHECK_THROWS_WITH_AS(s.push(block, 44100.0f), doctest::Contains("44100 Hz"), std::invalid_argument);
    std::vector<float> poisoned = block;
    poisoned[7] = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(s.push(poisoned, 16000.0f), doctest::Contains("index 7"), std::invalid_argument);
    poisoned[7] = std::nanf("");
    CHECK_THROWS_AS(s.push(poisoned, 16000.0f), std::invalid_argument);
    CHECK(s.samples_received() == 0);
    CHECK(s.peak() == 0.0f);
    CHECK_THROWS_AS(InputMeter(0.0f), std::invalid_argument);
}
