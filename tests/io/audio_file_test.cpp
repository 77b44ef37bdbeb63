#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/resampler.h"
#include "io/audio_file.h"
#include "sndfile_writer.h"
#include "support/test_support.h"

using namespace ser;
using ser::test::TempDir;
using ser::test::write_audio;

namespace {

// Two different channels, so mixing is visible: left 0.5 sin(440 Hz), right 0.25 sin(1 kHz).
std::vector<float> stereo(int rate, int frames) {
    std::vector<float> x(2 * static_cast<std::size_t>(frames));
    for (int i = 0; i < frames; ++i) {
        x[2 * static_cast<std::size_t>(i)] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 440.0 * i / rate));
        x[2 * static_cast<std::size_t>(i) + 1] = static_cast<float>(0.25 * std::sin(2.0 * std::numbers::pi * 1000.0 * i / rate));
    }
    return x;
}

std::vector<float> mono_of(const std::vector<float>& interleaved) {
    std::vector<float> mono(interleaved.size() / 2);
    for (std::size_t i = 0; i < mono.size(); ++i)
        mono[i] = static_cast<float>((static_cast<double>(interleaved[2 * i]) + interleaved[2 * i + 1]) / 2.0);
    return mono;
}

double max_error(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
    return worst;
}

std::string error_of(const std::filesystem::path& path, double max_seconds = max_audio_seconds) {
    try {
        decode_audio_file(path, max_seconds);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "no error";
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_SUITE("io.audio_file") {

TEST_CASE("audio file names are told by their extension, in any case") {
    CHECK(is_audio_file_name("a.WAV"));
    CHECK(is_audio_file_name("a.flac"));
    CHECK(is_audio_file_name("a.mp3"));
    CHECK(is_audio_file_name("dir.x/a.ogg"));
    CHECK_FALSE(is_audio_file_name("a.mp4"));
    CHECK_FALSE(is_audio_file_name("wav"));
    CHECK(has_extension("b.Flac", {"flac"}));
    CHECK_FALSE(has_extension("b.wav", {"flac"}));
}

TEST_CASE("every WAV sample format, FLAC, OGG/Vorbis and AIFF decode to the mono mix") {
    TempDir dir;
    const int rate = 22050;
    const auto source = stereo(rate, rate / 2);
    const auto expected = mono_of(source);
    struct Case {
        const char* name;
        int format;
        double tolerance;  // the format's own quantisation
    };
    const Case cases[] = {
        {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1.0 / 64},
        {"s16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.0 / 16384},
        {"s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1.0 / 4e6},
        {"s32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 1e-7},
        {"f32.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 0.0},
        {"f64.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 0.0},
        {"s16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1.0 / 16384},
        {"s24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 1.0 / 4e6},
        {"s16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 1.0 / 16384},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        write_audio(dir / c.name, c.format, 2, rate, source);
        const DecodedAudio audio = decode_audio_file(dir / c.name);
        CHECK(audio.sample_rate == rate);
        CHECK(audio.channels == 2);
        CHECK(!audio.format.empty());
        REQUIRE(audio.samples.size() == expected.size());
        CHECK(max_error(audio.samples, expected) <= c.tolerance);
    }
    // Vorbis is lossy: the mix must come back close, not exact.
    write_audio(dir / "v.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, rate, source);
    const DecodedAudio vorbis = decode_audio_file(dir / "v.ogg");
    CHECK(vorbis.sample_rate == rate);
    REQUIRE(vorbis.samples.size() == expected.size());
    double error = 0.0, signal = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        error += std::pow(vorbis.samples[i] - expected[i], 2.0);
        signal += std::pow(expected[i], 2.0);
    }
    CHECK(10.0 * std::log10(signal / error) >= 20.0);
}

TEST_CASE("float WAV samples come back bit for bit") {
    TempDir dir;
    std::vector<float> mono(1000);
    for (std::size_t i = 0; i < mono.size(); ++i) mono[i] = static_cast<float>(std::sin(0.1 * static_cast<double>(i)) * 1.7);  // beyond full scale too
    write_audio(dir / "m.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, mono);
    CHECK(decode_audio_file(dir / "m.wav").samples == mono);
}

TEST_CASE("load_audio resamples to the target rate, and only when needed") {
    TempDir dir;
    const auto source = stereo(48000, 4800);
    write_audio(dir / "48k.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 48000, source);
    const auto mono = mono_of(source);
    CHECK(load_audio(dir / "48k.wav", 48000) == mono);
    CHECK(load_audio(dir / "48k.wav", 16000) == resample(mono, 48000, 16000));
    CHECK_THROWS_WITH_AS(load_audio(dir / "48k.wav", 4000), doctest::Contains("48k.wav"), std::runtime_error);
}

TEST_CASE("the corpora's real files decode") {
    SER_REQUIRE_SHARED("data/originals");
    const auto stereo_file = decode_audio_file(test::shared_dir() / "data/originals/03-01-02-01-01-02-01.wav");
    CHECK(stereo_file.channels == 2);
    CHECK(stereo_file.sample_rate == 48000);
    CHECK(decode_audio_file(test::shared_dir() / "data/originals/YAF_back_happy.wav").sample_rate == 24414);
    CHECK(decode_audio_file(test::shared_dir() / "data/originals/OAF_food_fear.wav").sample_rate == 96000);
    SER_REQUIRE_SHARED("data/ravdess");
    const auto flac = decode_audio_file(test::shared_dir() / "data/ravdess/Actor_01/03-01-01-01-01-01-01.flac");
    CHECK(flac.sample_rate == 16000);
    CHECK(flac.channels == 1);
    CHECK(flac.samples.size() == 52853);
}

TEST_CASE("unreadable, empty, unsupported, truncated and overlong files are errors naming file and reason") {
    TempDir dir;
    CHECK(error_of(dir / "absent.wav").find("absent.wav: no such file") != std::string::npos);
    std::filesystem::create_directories(dir / "folder.wav");
    CHECK(error_of(dir / "folder.wav").find("folder.wav: it is a directory") != std::string::npos);
    write_bytes(dir / "empty.wav", "");
    CHECK(error_of(dir / "empty.wav").find("empty.wav: the file is empty") != std::string::npos);
    write_bytes(dir / "notes.wav", "These are my notes, not audio.\n");
    CHECK(error_of(dir / "notes.wav").find("notes.wav: ") != std::string::npos);
    CHECK(error_of(dir / "notes.wav").find("not an audio format") != std::string::npos);

    write_audio(dir / "none.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, {});
    CHECK(error_of(dir / "none.wav").find("none.wav: it contains no audio samples") != std::string::npos);

    const auto source = stereo(16000, 16000);
    write_audio(dir / "full.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 16000, source);
    const std::string wav = read_bytes(dir / "full.wav");
    write_bytes(dir / "cut.wav", wav.substr(0, wav.size() / 2));
    CHECK(error_of(dir / "cut.wav").find("cut.wav: the file is truncated") != std::string::npos);

    write_audio(dir / "full.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 16000, source);
    const std::string flac = read_bytes(dir / "full.flac");
    write_bytes(dir / "cut.flac", flac.substr(0, flac.size() / 2));
    CHECK(error_of(dir / "cut.flac").find("cut.flac: the file is truncated or damaged") != std::string::npos);

    write_audio(dir / "full.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, 16000, source);
    const std::string ogg = read_bytes(dir / "full.ogg");
    write_bytes(dir / "cut.ogg", ogg.substr(0, ogg.size() / 2));
    CHECK(error_of(dir / "cut.ogg").find("cut.ogg: ") != std::string::npos);
    // Cut inside its headers, a container libsndfile knows is damaged, not unknown.
    write_bytes(dir / "head.ogg", ogg.substr(0, 3000 < ogg.size() / 2 ? 3000 : ogg.size() / 4));
    const std::string head = error_of(dir / "head.ogg");
    CHECK_MESSAGE(head.find("not an audio format") == std::string::npos, head);

    CHECK(error_of(dir / "full.wav", 0.5).find("full.wav: it lasts") != std::string::npos);
    CHECK(error_of(dir / "full.wav", 1.0) == "no error");
}

TEST_CASE("NaN or infinite samples in a float file are refused") {
    TempDir dir;
    std::vector<float> mono(100, 0.1f);
    mono[61] = std::numeric_limits<float>::quiet_NaN();
    write_audio(dir / "nan.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, mono);
    const std::string message = error_of(dir / "nan.wav");
    CHECK(message.find("nan.wav") != std::string::npos);
    CHECK(message.find("sample 61 is NaN") != std::string::npos);
    mono[61] = std::numeric_limits<float>::infinity();
    write_audio(dir / "inf.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, mono);
    CHECK(error_of(dir / "inf.wav").find("sample 61 is infinite") != std::string::npos);
}

TEST_CASE("finite but absurd samples in a float file are refused; float headroom is not") {
    TempDir dir;
    std::vector<float> mono(100, 0.1f);
    for (float huge : {1e30f, -1e10f}) {
        CAPTURE(huge);
        mono[17] = huge;
        write_audio(dir / "huge.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, mono);
        const std::string message = error_of(dir / "huge.wav");
        CHECK(message.find("huge.wav") != std::string::npos);
        CHECK(message.find("sample 17 is") != std::string::npos);
        CHECK(message.find("rescale") != std::string::npos);
    }
    mono[17] = 1.5f;
    write_audio(dir / "hot.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, mono);
    CHECK(ser::decode_audio_file(dir / "hot.wav").samples[17] == 1.5f);
}

}
