#pragma once
// Audio files in, mono float PCM out, through libsndfile: WAV (8/16/24/32-bit integer,
// 32/64-bit float), FLAC, OGG/Vorbis, AIFF and whatever else the installed libsndfile reads.
// Integer samples come out scaled to [-1, 1); channels are averaged to mono.

#include <filesystem>
#include <string>
#include <vector>

namespace ser {

struct DecodedAudio {
    std::vector<float> samples;  // mono
    int sample_rate = 0;
    int channels = 0;            // of the file, before mixing
    std::string format;          // e.g. "WAV, 16-bit PCM"
};

// Extensions of the formats libsndfile reads, lower case without the dot: wav, flac, ogg,
// oga, opus, mp3, aif, aiff, au, caf, w64.
const std::vector<std::string>& audio_file_extensions();

// Whether the name's extension is one of `extensions` (lower case, no dot), in any case.
bool has_extension(const std::filesystem::path& path, const std::vector<std::string>& extensions);

// has_extension(path, audio_file_extensions()).
bool is_audio_file_name(const std::filesystem::path& path);

// Longest input decoded: an hour-long lecture is fine, a mistaken multi-day capture is
// refused before anything is allocated for it.
inline constexpr double max_audio_seconds = 4.0 * 3600.0;

// Throws std::runtime_error naming the file and the reason: missing, unreadable, not audio,
// unsupported encoding, empty, truncated or damaged, longer than max_seconds, or holding
// NaN/infinite samples.
DecodedAudio decode_audio_file(const std::filesystem::path& path, double max_seconds = max_audio_seconds);

// Decoded and resampled to target_rate (no resampling when the file already has it).
std::vector<float> load_audio(const std::filesystem::path& path, int target_rate);

}  // namespace ser
