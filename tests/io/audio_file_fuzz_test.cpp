// Property test of the decoder path: real file bytes, mutated (truncated, bytes flipped,
// header overwritten with garbage), must decode to sane audio or fail with a clean error.

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "fuzz/fuzz_corpus.h"
#include "io/audio_file.h"
#include "sndfile_writer.h"
#include "support/test_support.h"

using namespace ser;

namespace {

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string mutate(std::string bytes, std::mt19937& rng) {
    auto index = [&](std::size_t limit) { return std::uniform_int_distribution<std::size_t>(0, limit - 1)(rng); };
    switch (rng() % 5) {
        case 0:  // truncated anywhere
            bytes.resize(index(bytes.size()));
            break;
        case 1:  // a few bytes flipped anywhere
            for (int i = 0, n = 1 + static_cast<int>(rng() % 16); i < n && !bytes.empty(); ++i) bytes[index(bytes.size())] ^= static_cast<char>(1 + rng() % 255);
            break;
        case 2:  // the header (first 64 bytes) garbled
            for (std::size_t i = 0; i < std::min<std::size_t>(64, bytes.size()); ++i)
                if (rng() % 4 == 0) bytes[i] = static_cast<char>(rng());
            break;
        case 3: {  // a size field rewritten with an extreme value
            const std::size_t at = index(std::min<std::size_t>(60, bytes.size() - 4));
            const char extreme[][4] = {{'\xff', '\xff', '\xff', '\xff'}, {0, 0, 0, 0}, {'\xff', '\xff', '\xff', '\x7f'}};
            bytes.replace(at, 4, extreme[rng() % 3], 4);
            break;
        }
        default:  // garbage appended after a truncation
            bytes.resize(index(bytes.size()));
            for (int i = 0; i < 300; ++i) bytes.push_back(static_cast<char>(rng()));
            break;
    }
    return bytes;
}

}  // namespace

TEST_SUITE("io.audio_file") {

TEST_CASE("mutated real files decode cleanly or fail with an error, never crash") {
    test::TempDir dir;
    std::vector<std::string> seeds;
    const auto shared = test::shared_dir() / "data";
    if (std::filesystem::exists(shared / "originals")) {
        seeds.push_back(read_bytes(shared / "originals" / "YAF_back_happy.wav"));
        seeds.push_back(read_bytes(shared / "ravdess" / "Actor_01" / "03-01-01-01-01-01-01.flac"));
    } else {
        MESSAGE("../shared/data is absent: fuzzing files written here only");
    }
    std::vector<float> tone(8000);
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>(0.3 * std::sin(0.07 * static_cast<double>(i)));
    for (int format : {SF_FORMAT_OGG | SF_FORMAT_VORBIS, SF_FORMAT_WAV | SF_FORMAT_FLOAT, SF_FORMAT_AIFF | SF_FORMAT_PCM_24}) {
        test::write_audio(dir / "seed", format, 1, 16000, tone);
        seeds.push_back(read_bytes(dir / "seed"));
    }

    std::mt19937 rng(2024);
    int decoded = 0, refused = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const std::string bytes = mutate(seeds[static_cast<std::size_t>(trial) % seeds.size()], rng);
        const auto path = dir / ("mutant-" + std::to_string(trial));
        std::ofstream(path, std::ios::binary) << bytes;
        try {
            const DecodedAudio audio = decode_audio_file(path);
            CHECK(audio.sample_rate > 0);
            CHECK(audio.channels > 0);
            CHECK(!audio.samples.empty());
            for (float v : audio.samples)
                if (!std::isfinite(v)) FAIL("non-finite sample decoded from mutant " << trial);
            ++decoded;
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            if (message.find(path.filename().string()) == std::string::npos) FAIL("error without the file name: " << message);
            ++refused;
        }
        std::filesystem::remove(path);
    }
    MESSAGE("decoded " << decoded << ", refused " << refused);
    CHECK(decoded > 0);
    CHECK(refused > 0);
}

TEST_CASE("the libFuzzer corpus (seeds and past findings) decodes and resamples, or fails naming the file") {
    int decoded = 0;
    for (const auto& file : test::fuzz_corpus("audio_file")) {
        CAPTURE(file.string());
        try {
            for (float v : load_audio(file, 16000))
                if (!std::isfinite(v)) FAIL("non-finite sample");
            ++decoded;
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()).find(file.filename().string()) != std::string::npos);
        }
    }
    CHECK(decoded >= 9);  // the seeds: one file of each container and encoding
}

}
