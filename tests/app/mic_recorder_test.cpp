#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/state/mic_recorder.h"

using ser::app::float_wav;
using ser::app::MicRecorder;

namespace {

std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

std::string tag(const std::vector<std::uint8_t>& b, std::size_t at) { return std::string(b.begin() + at, b.begin() + at + 4); }

}  // namespace

TEST_CASE("a recording is a float WAV file holding exactly the samples received") {
    const std::vector<float> samples = {0.0f, -1.0f, 0.5f, 1e-7f, 0.123456789f};
    const auto wav = float_wav(samples, 48000);
    REQUIRE(wav.size() == 58 + 4 * samples.size());
    CHECK(tag(wav, 0) == "RIFF");
    CHECK(u32(wav, 4) == wav.size() - 8);
    CHECK(tag(wav, 8) == "WAVE");
    CHECK(tag(wav, 12) == "fmt ");
    CHECK((wav[20] | (wav[21] << 8)) == 3);  // IEEE float
    CHECK((wav[22] | (wav[23] << 8)) == 1);  // mono
    CHECK(u32(wav, 24) == 48000);
    CHECK((wav[34] | (wav[35] << 8)) == 32);
    CHECK(tag(wav, 38) == "fact");
    CHECK(u32(wav, 46) == samples.size());
    CHECK(tag(wav, 50) == "data");
    CHECK(u32(wav, 54) == 4 * samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        float v = 0.0f;
        std::memcpy(&v, wav.data() + 58 + 4 * i, 4);
        CHECK(v == samples[i]);
    }
}

TEST_CASE("the recorder keeps the start of a session up to its limit") {
    MicRecorder rec(0.5);
    rec.begin(1000.0f);
    rec.push(std::vector<float>(300, 0.1f));
    CHECK_FALSE(rec.truncated());
    rec.push(std::vector<float>(300, 0.2f));
    CHECK(rec.samples() == 500);
    CHECK(rec.truncated());
    CHECK(rec.wav().size() == 58 + 4 * 500);
    rec.begin(2000.0f);
    CHECK(rec.samples() == 0);
    CHECK_FALSE(rec.truncated());
    CHECK_THROWS_AS(rec.begin(0.0f), std::invalid_argument);
}
