#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/voice_activity.h"

namespace {

constexpr int rate = 16000;

// A vowel-like harmonic tone whose loudness rises and falls like syllables (4 per second).
std::vector<float> syllables(float seconds, float peak) {
    std::vector<float> x(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const double envelope = std::pow(std::sin(std::numbers::pi * 4.0 * t), 2.0);
        double tone = 0.0;
        for (int h = 1; h <= 5; ++h) tone += std::sin(2.0 * std::numbers::pi * 150.0 * h * t) / h;
        x[i] = static_cast<float>(peak * envelope * tone / 2.3);
    }
    return x;
}

std::vector<float> steady_noise(float seconds, float rms, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> gauss(0.0f, rms);
    std::vector<float> x(static_cast<std::size_t>(seconds * rate));
    for (float& s : x) s = gauss(rng);
    return x;
}

}  // namespace

TEST_SUITE("analysis") {

TEST_CASE("modulated speech-like sound is speech; silence and steady noise are not") {
    ser::VoiceActivityDetector vad(rate);
    CHECK(vad.analyse(syllables(2.0f, 0.3f)).is_speech);

    const auto silence = vad.analyse(std::vector<float>(2 * rate, 0.0f));
    CHECK_FALSE(silence.is_speech);
    CHECK(silence.loud_dbfs == doctest::Approx(-100.0f));

    const auto hiss = vad.analyse(steady_noise(2.0f, 0.1f, 1));
    CHECK_FALSE(hiss.is_speech);
    CHECK(hiss.loud_dbfs == doctest::Approx(-20.0f).epsilon(0.05));
}

TEST_CASE("speech over moderate noise is still speech; speech below the threshold is not") {
    ser::VoiceActivityDetector vad(rate);
    auto mix = syllables(2.0f, 0.3f);
    const auto noise = steady_noise(2.0f, 0.003f, 2);
    for (std::size_t i = 0; i < mix.size(); ++i) mix[i] += noise[i];
    CHECK(vad.analyse(mix).is_speech);

    const auto faint = syllables(2.0f, 0.001f);  // peaks near -63 dBFS
    CHECK_FALSE(vad.analyse(faint).is_speech);
    vad.set_threshold_dbfs(-75.0f);
    CHECK(vad.analyse(faint).is_speech);
}

TEST_CASE("a DC offset neither hides speech nor passes for it") {
    ser::VoiceActivityDetector vad(rate);
    for (float offset : {0.1f, -0.3f}) {
        auto shifted = syllables(2.0f, 0.3f);
        for (float& x : shifted) x += offset;
        CHECK(vad.analyse(shifted).verdict == ser::Activity::speech);
        CHECK(vad.analyse(std::vector<float>(2 * rate, offset)).verdict == ser::Activity::silence);
    }
}

TEST_CASE("why_not_speech: speech in any 2 s stretch passes; silence and steady noise say what to do") {
    CHECK(ser::why_not_speech(syllables(3.0f, 0.3f), rate).empty());
    // A quiet take: one 2 s stretch of speech among seconds of silence still counts.
    auto quiet = std::vector<float>(4 * rate, 0.0f);
    const auto talk = syllables(1.5f, 0.003f);  // peaks near -50 dBFS
    quiet.insert(quiet.end(), talk.begin(), talk.end());
    quiet.resize(quiet.size() + 4 * rate, 0.0f);
    CHECK(ser::why_not_speech(quiet, rate).empty());
    const std::string silent = ser::why_not_speech(std::vector<float>(3 * rate, 0.0f), rate);
    CHECK(silent.find("was silent") == 0);
    CHECK(silent.find("not muted") != std::string::npos);
    CHECK(ser::why_not_speech(steady_noise(3.0f, 0.1f, 5), rate).find("no speech (a steady noise") != std::string::npos);
    CHECK(ser::why_not_speech({}, rate).find("was silent") == 0);
    // Lengths that are no whole number of hops: the last stretch ends with the take, never
    // past it (a 2.28 s silent take once read beyond its samples and passed for speech).
    CHECK(ser::why_not_speech(std::vector<float>(static_cast<std::size_t>(2.28 * rate), 0.0f), rate).find("was silent") == 0);
    auto late = std::vector<float>(static_cast<std::size_t>(3.3 * rate), 0.0f);
    const auto end = syllables(0.8f, 0.3f);
    std::copy(end.begin(), end.end(), late.end() - static_cast<std::ptrdiff_t>(end.size()));
    CHECK(ser::why_not_speech(late, rate).empty());
}

TEST_CASE("a window half silence, half speech counts as speech; too short a window is not") {
    ser::VoiceActivityDetector vad(rate);
    auto half = std::vector<float>(rate, 0.0f);
    const auto talk = syllables(1.0f, 0.3f);
    half.insert(half.end(), talk.begin(), talk.end());
    CHECK(vad.analyse(half).is_speech);
    CHECK_FALSE(vad.analyse(std::vector<float>(100, 0.5f)).is_speech);
    CHECK_THROWS_AS(ser::VoiceActivityDetector(0), std::invalid_argument);
}

TEST_CASE("the verdict tells silence (below the threshold) from noise (loud but steady)") {
    ser::VoiceActivityDetector vad(rate);
    CHECK(vad.analyse(syllables(2.0f, 0.3f)).verdict == ser::Activity::speech);
    CHECK(vad.analyse(std::vector<float>(2 * rate, 0.0f)).verdict == ser::Activity::silence);
    CHECK(vad.analyse(steady_noise(2.0f, 1e-4f, 3)).verdict == ser::Activity::silence);  // -80 dBFS
    const auto fan = vad.analyse(steady_noise(2.0f, 0.1f, 4));
    CHECK(fan.verdict == ser::Activity::noise);
    CHECK(fan.is_speech == (fan.verdict == ser::Activity::speech));
    vad.set_threshold_dbfs(0.0f);  // nothing reaches 0 dBFS: all silence
    CHECK(vad.analyse(syllables(2.0f, 0.3f)).verdict == ser::Activity::silence);
    CHECK(std::string(ser::to_string(ser::Activity::noise)) == "noise");
}

}
