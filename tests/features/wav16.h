#pragma once
// A minimal reader for 16-bit PCM WAV, the format of ../shared/data/originals, so the WASM
// tests (which have no libsndfile) read the same real recordings as the native ones.
// Channels are averaged to mono as ser::decode_audio_file does.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace ser::test {

struct Wav16 {
    std::vector<float> samples;
    int sample_rate = 0;
};

inline Wav16 read_wav16(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto u32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(bytes.at(at)) | static_cast<std::uint32_t>(bytes.at(at + 1)) << 8 |
               static_cast<std::uint32_t>(bytes.at(at + 2)) << 16 | static_cast<std::uint32_t>(bytes.at(at + 3)) << 24;
    };
    auto u16 = [&](std::size_t at) { return static_cast<std::uint16_t>(bytes.at(at) | bytes.at(at + 1) << 8); };
    if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0)
        throw std::runtime_error(path.string() + " is not a RIFF WAVE file");
    int channels = 0;
    Wav16 wav;
    for (std::size_t at = 12; at + 8 <= bytes.size();) {
        const std::string id(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.begin() + static_cast<std::ptrdiff_t>(at) + 4);
        const std::uint32_t size = u32(at + 4);
        const std::size_t body = at + 8;
        if (id == "fmt ") {
            if (u16(body) != 1 || u16(body + 14) != 16) throw std::runtime_error(path.string() + " is not 16-bit PCM");
            channels = u16(body + 2);
            wav.sample_rate = static_cast<int>(u32(body + 4));
        } else if (id == "data") {
            if (channels == 0) throw std::runtime_error(path.string() + ": data before fmt");
            const std::size_t frames = std::min<std::size_t>(size, bytes.size() - body) / (2u * static_cast<std::size_t>(channels));
            wav.samples.resize(frames);
            for (std::size_t f = 0; f < frames; ++f) {
                double sum = 0.0;
                for (int c = 0; c < channels; ++c) {
                    const auto v = static_cast<std::int16_t>(u16(body + 2 * (f * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c))));
                    sum += static_cast<float>(v) / 32768.0f;
                }
                wav.samples[f] = static_cast<float>(sum / channels);
            }
            return wav;
        }
        at = body + size + (size & 1u);
    }
    throw std::runtime_error(path.string() + " has no data chunk");
}

}  // namespace ser::test
