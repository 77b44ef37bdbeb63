#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "app/state/spectrogram.h"

using ser::app::heat_colour;
using ser::app::Spectrogram;

namespace {

std::vector<float> tone(double hz, double seconds, int rate) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * hz * i / rate));
    return pcm;
}

std::size_t loudest_band(std::span<const float> column) {
    return static_cast<std::size_t>(std::max_element(column.begin(), column.end()) - column.begin());
}

}  // namespace

TEST_CASE("a tone lights the mel band of its pitch, one column per 10 ms, newest last") {
    Spectrogram s(48000, 1.0);
    CHECK(s.bands() == 64);
    CHECK(s.capacity() == 100);
    const std::vector<float> low = tone(300.0, 0.5, 48000);
    const std::vector<float> high = tone(3000.0, 0.5, 48000);
    for (std::size_t at = 0; at < low.size(); at += 960) s.push(std::span(low).subspan(at, 960));
    const std::size_t after_low = s.columns();
    CHECK(after_low == 48);  // (24000 - 1200) / 480 + 1
    const std::size_t low_band = loudest_band(s.column(after_low - 1));
    s.push(high);
    CHECK(s.columns() == 98);
    const std::size_t high_band = loudest_band(s.column(s.columns() - 1));
    CHECK(high_band > low_band + 20);
    CHECK(loudest_band(s.column(0)) == low_band);
    CHECK(s.peak_db() > -20.0f);
    const auto version = s.version();
    s.push(high);  // the ring wraps: the oldest columns go
    CHECK(s.columns() == 100);
    CHECK(loudest_band(s.column(5)) == high_band);
    CHECK(s.version() > version);
}

TEST_CASE("the spectrogram refuses bad samples and works at any device rate") {
    Spectrogram s(44100, 2.0);
    std::vector<float> bad(441, 0.0f);
    bad[3] = INFINITY;
    CHECK_THROWS_AS(s.push(bad), std::invalid_argument);
    CHECK(s.columns() == 0);
    s.push(tone(1000.0, 0.1, 44100));
    CHECK(s.columns() > 0);
    s.clear();
    CHECK(s.columns() == 0);
    CHECK_NOTHROW(Spectrogram(8000, 1.0));  // Nyquist below 8 kHz: the bands stop there
    CHECK_NOTHROW(Spectrogram(96000, 1.0));
}

TEST_CASE("the colour scale runs from near black to near white, brighter at every step") {
    auto brightness = [](ser::app::Rgba c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
    CHECK(brightness(heat_colour(0.0f)) < 10.0);
    CHECK(brightness(heat_colour(1.0f)) > 220.0);
    for (int i = 0; i < 100; ++i) CHECK(brightness(heat_colour((i + 1) / 100.0f)) >= brightness(heat_colour(i / 100.0f)));
    CHECK(brightness(heat_colour(-3.0f)) == brightness(heat_colour(0.0f)));
    CHECK(brightness(heat_colour(NAN)) == brightness(heat_colour(0.0f)));
}
