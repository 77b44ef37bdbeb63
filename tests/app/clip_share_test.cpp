#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "analysis/analyzer.h"
#include "app/state/clip_share.h"
#include "app_test_models.h"
#include "support/test_support.h"

using ser::app::SharePart;

namespace {

bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// A real share of a clip of the shipped model (it notes frame levels), with its timing.
SharePart real_share(const ser::Model& model) {
    ser::Analyzer stream(model, 22050, ser::ClipSettings{.share = {.index = 1, .count = 2, .stretch_windows = 3}});
    stream.push(ser::test::test_audio(6.0, 22050));
    return {22050.0, 123.25, stream.finish_share()};
}

}  // namespace

TEST_CASE("a clip share travels as bytes bit for bit") {
    const SharePart part = real_share(ser::test::shipped_model());
    REQUIRE(part.windows.windows.size() > 3);
    REQUIRE_FALSE(part.windows.levels.empty());
    const SharePart back = ser::app::share_from_bytes(ser::app::share_bytes(part));
    CHECK(back.sample_rate == part.sample_rate);
    CHECK(back.analysis_ms == part.analysis_ms);
    CHECK(back.windows.share.index == 1);
    CHECK(back.windows.share.count == 2);
    CHECK(back.windows.share.stretch_windows == 3);
    CHECK(back.windows.total == part.windows.total);
    CHECK(back.windows.starts == part.windows.starts);
    CHECK(same_bits(back.windows.levels, part.windows.levels));
    REQUIRE(back.windows.windows.size() == part.windows.windows.size());
    for (std::size_t i = 0; i < part.windows.windows.size(); ++i) {
        const ser::WindowResult& a = back.windows.windows[i];
        const ser::WindowResult& b = part.windows.windows[i];
        CHECK(a.start_s == b.start_s);
        CHECK(a.end_s == b.end_s);
        CHECK(same_bits(a.probabilities, b.probabilities));
        CHECK(a.activity.verdict == b.activity.verdict);
        CHECK(a.activity.is_speech == b.activity.is_speech);
        CHECK(a.activity.loud_dbfs == b.activity.loud_dbfs);
        CHECK(a.activity.quiet_dbfs == b.activity.quiet_dbfs);
        CHECK(a.activity.speech_fraction == b.activity.speech_fraction);
    }
}

TEST_CASE("bytes that are not a whole clip share are refused, saying so") {
    const std::vector<std::uint8_t> bytes = ser::app::share_bytes(real_share(ser::test::frame_model()));
    for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{40}, bytes.size() - 1}) {
        CAPTURE(keep);
        CHECK_THROWS_WITH_AS(ser::app::share_from_bytes(std::span(bytes).first(keep)), doctest::Contains("cut short"),
                             std::invalid_argument);
    }
    std::vector<std::uint8_t> longer = bytes;
    longer.push_back(0);
    CHECK_THROWS_AS(ser::app::share_from_bytes(longer), std::invalid_argument);
    std::vector<std::uint8_t> other = bytes;
    other[0] = 'X';
    CHECK_THROWS_WITH_AS(ser::app::share_from_bytes(other), doctest::Contains("not a clip share"), std::invalid_argument);
}
