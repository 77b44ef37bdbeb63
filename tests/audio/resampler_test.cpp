#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "audio/resampler.h"
#include "resampler_support.h"

using ser::Resampler;
using namespace ser::test;

namespace {

struct RatePair {
    int in;
    int out;
};

// The rates users meet (48 kHz devices, TESS's 24414 and 96000 Hz, CD audio, librosa's
// 22050) and the extremes of the supported range. 24414 -> 16000 has too many phases for
// a precomputed bank, so it exercises the other coefficient path.
const RatePair pairs[] = {{48000, 16000}, {24414, 16000}, {96000, 16000}, {44100, 16000}, {22050, 16000},
                          {16000, 48000}, {8000, 16000},  {192000, 8000}, {8000, 192000}, {16000, 22050}};

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

TEST_SUITE("audio.resampler") {

TEST_CASE("rates outside 8 kHz..192 kHz are refused with a clear message") {
    CHECK_THROWS_WITH_AS(Resampler(7999, 16000), doctest::Contains("input rate 7999 Hz"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(Resampler(16000, 192001), doctest::Contains("output rate 192001 Hz"), std::invalid_argument);
    CHECK_THROWS_AS(Resampler(0, 16000), std::invalid_argument);
    CHECK_THROWS_AS(Resampler(-48000, 16000), std::invalid_argument);
    CHECK_THROWS_AS(ser::resample(std::vector<float>(10), 16000, 4000), std::invalid_argument);
    const Resampler r(Resampler::min_rate, Resampler::max_rate);
    CHECK(r.input_rate() == 8000);
    CHECK(r.output_rate() == 192000);
}

TEST_CASE("equal rates give a copy, one-shot and streaming") {
    const std::vector<float> x = tone(440.0, 16000, 1000);
    CHECK(same_bits(ser::resample(x, 16000, 16000), x));
    Resampler r(16000, 16000);
    std::vector<float> out;
    r.push(std::span<const float>(x).first(300), out);
    r.push(std::span<const float>(x).subspan(300), out);
    r.finish(out);
    CHECK(same_bits(out, x));
}

TEST_CASE("output length is ceil(n * out / in): every output instant inside the input") {
    for (const auto& p : pairs) {
        CAPTURE(p.in);
        CAPTURE(p.out);
        const Resampler r(p.in, p.out);
        for (std::int64_t n : {0, 1, 2, 3, 127, 1000, 48000, 48001}) {
            const std::int64_t expected = (n * p.out + p.in - 1) / p.in;
            CHECK(r.output_length(n) == expected);
            const double exact = static_cast<double>(n) * p.out / p.in;
            CHECK(static_cast<double>(expected) >= exact);
            CHECK(static_cast<double>(expected) < exact + 1.0);
            const std::vector<float> x(static_cast<std::size_t>(n), 0.1f);
            CHECK(static_cast<std::int64_t>(ser::resample(x, p.in, p.out).size()) == expected);
        }
    }
}

TEST_CASE("passband is flat within 0.1 dB up to 0.9 of the lower Nyquist, images and noise below -80 dB") {
    for (const auto& p : pairs) {
        const double nyquist = 0.5 * std::min(p.in, p.out);
        for (double fraction : {0.02, 0.25, 0.5, 0.75, 0.9}) {
            CAPTURE(p.in);
            CAPTURE(p.out);
            CAPTURE(fraction);
            const double hz = fraction * nyquist;
            const auto y = ser::resample(tone(hz, p.in, static_cast<std::size_t>(p.in / 4)), p.in, p.out);
            const auto fit = fit_tone(y, hz, p.out, y.size() / 4, 3 * y.size() / 4);
            CHECK(std::fabs(db(fit.amplitude / 0.5)) <= 0.1);
            CHECK(db(fit.residual_rms / (0.5 / std::sqrt(2.0))) <= -80.0);
        }
    }
}

TEST_CASE("the output is the input signal at k / out_rate: no delay, no phase shift") {
    for (const auto& p : pairs) {
        CAPTURE(p.in);
        CAPTURE(p.out);
        const double hz = 0.3 * 0.5 * std::min(p.in, p.out);
        const double phase = 0.7;
        const auto y = ser::resample(tone(hz, p.in, static_cast<std::size_t>(p.in / 4), 0.5, phase), p.in, p.out);
        const auto fit = fit_tone(y, hz, p.out, y.size() / 4, 3 * y.size() / 4);
        CHECK(fit.phase == doctest::Approx(phase).epsilon(1e-4));
    }
}

TEST_CASE("stopband: at least 80 dB of rejection from the output Nyquist up") {
    for (const auto& p : pairs) {
        if (p.out >= p.in) continue;  // upsampling's stopband (images) is checked with the passband
        const double nyquist = 0.5 * p.out;
        for (double fraction : {1.0, 1.02, 1.1, 1.5, 2.0, 3.5}) {
            const double hz = fraction * nyquist;
            if (hz >= 0.5 * p.in) continue;
            CAPTURE(p.in);
            CAPTURE(p.out);
            CAPTURE(fraction);
            const auto y = ser::resample(tone(hz, p.in, static_cast<std::size_t>(p.in / 4)), p.in, p.out);
            const double level = rms(y, y.size() / 4, 3 * y.size() / 4);
            CHECK(db(level / (0.5 / std::sqrt(2.0))) <= -80.0);
        }
    }
}

TEST_CASE("streaming in any pieces gives exactly the one-shot samples") {
    std::mt19937 rng(1234);
    for (const auto& p : pairs) {
        CAPTURE(p.in);
        CAPTURE(p.out);
        std::vector<float> x = tone(0.21 * p.in, p.in, static_cast<std::size_t>(p.in / 5));
        std::normal_distribution<float> noise(0.0f, 0.1f);
        for (float& v : x) v += noise(rng);
        const auto one_shot = ser::resample(x, p.in, p.out);

        Resampler r(p.in, p.out);
        for (int trial = 0; trial < 3; ++trial) {
            std::vector<float> streamed;
            std::size_t at = 0;
            std::uniform_int_distribution<std::size_t> piece(0, trial == 0 ? 8 : 2000);
            while (at < x.size()) {
                const std::size_t n = trial == 2 ? 128 : std::min(piece(rng), x.size() - at);  // 2: AudioWorklet quanta
                const std::size_t take = std::min(n, x.size() - at);
                r.push(std::span<const float>(x).subspan(at, take), streamed);
                at += take;
            }
            r.finish(streamed);
            CHECK(same_bits(streamed, one_shot));
            r.reset();
        }
    }
}

TEST_CASE("non-finite input is refused and leaves the stream as it was") {
    Resampler r(48000, 16000);
    const std::vector<float> x = tone(1000.0, 48000, 4800);
    std::vector<float> out;
    r.push(std::span<const float>(x).first(2000), out);
    std::vector<float> bad(100, 0.0f);
    bad[37] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH_AS(r.push(bad, out), doctest::Contains("sample 37"), std::invalid_argument);
    bad[37] = std::numeric_limits<float>::infinity();
    CHECK_THROWS_AS(r.push(bad, out), std::invalid_argument);
    r.push(std::span<const float>(x).subspan(2000), out);
    r.finish(out);
    CHECK(same_bits(out, ser::resample(x, 48000, 16000)));
}

TEST_CASE("a finished resampler must be reset before reuse") {
    Resampler r(44100, 16000);
    std::vector<float> out;
    const std::vector<float> x = tone(300.0, 44100, 5000);
    r.push(x, out);
    r.finish(out);
    CHECK_THROWS_AS(r.push(x, out), std::logic_error);
    CHECK_THROWS_AS(r.finish(out), std::logic_error);
    r.reset();
    std::vector<float> again;
    r.push(x, again);
    r.finish(again);
    CHECK(same_bits(again, out));
}

TEST_CASE("empty and one-sample inputs") {
    CHECK(ser::resample({}, 48000, 16000).empty());
    const std::vector<float> one{0.5f};
    const auto down = ser::resample(one, 48000, 16000);
    REQUIRE(down.size() == 1);
    CHECK(std::isfinite(down[0]));
    const auto up = ser::resample(one, 8000, 192000);
    CHECK(up.size() == 24);
    for (float v : up) CHECK(std::isfinite(v));
}

}
