#include "io/audio_file.h"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "audio/pcm_checks.h"
#include "audio/resampler.h"

namespace ser {
namespace {

struct CloseSndfile {
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndFile = std::unique_ptr<SNDFILE, CloseSndfile>;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& reason) {
    throw std::runtime_error("cannot read audio from " + path.string() + ": " + reason);
}

std::string format_name(int format) {
    auto name = [](int code, int command) {
        SF_FORMAT_INFO info{};
        info.format = code;
        return sf_command(nullptr, command, &info, sizeof info) == 0 && info.name ? std::string(info.name)
                                                                                 : std::string("unknown");
    };
    return name(format & SF_FORMAT_TYPEMASK, SFC_GET_FORMAT_INFO) + ", " +
           name(format & SF_FORMAT_SUBMASK, SFC_GET_FORMAT_INFO);
}

// WAV and AIFF headers state how many bytes of audio follow. libsndfile quietly reads
// whatever is there when the file ends early, and notes the mismatch in its log as
// "data : <declared> (should be <present>)" ("SSND" for AIFF). Streaming writers leave 0 or
// 0xFFFFFFFF there on purpose; any other excess means the file was cut short.
void reject_truncated_chunks(SNDFILE* file, const std::filesystem::path& path) {
    std::string log(16384, '\0');
    sf_command(file, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
    std::istringstream lines(log.c_str());
    std::string line;
    while (std::getline(lines, line)) {
        for (const char* chunk : {"data : ", "SSND : "}) {
            if (line.rfind(chunk, 0) != 0) continue;
            unsigned long long declared = 0;
            unsigned long long present = 0;
            const std::string pattern = std::string(chunk) + "%llu (should be %llu)";
            if (std::sscanf(line.c_str(), pattern.c_str(), &declared, &present) != 2) continue;
            const bool placeholder = declared == 0 || declared >= 0x7FFFFFFFull;
            if (!placeholder && declared > present) {
                fail(path, "the file is truncated: its header announces " + std::to_string(declared) +
                               " bytes of audio, only " + std::to_string(present) + " are present");
            }
        }
    }
}

// Why libsndfile could not open a file, in words that say what to do about it.
std::string open_failure(int code) {
    const std::string detail = std::string(" (libsndfile: ") + sf_error_number(code) + ")";
    switch (code) {
        case SF_ERR_UNRECOGNISED_FORMAT:
            return "not an audio format libsndfile reads" + detail + ": convert it to WAV, FLAC, Ogg or MP3";
        case SF_ERR_MALFORMED_FILE:
            return "the file is damaged or cut short" + detail + ": copy or export it again";
        case SF_ERR_UNSUPPORTED_ENCODING:
            return "its encoding is not one libsndfile decodes" + detail + ": convert it to WAV or FLAC";
        default:
            return "it cannot be opened" + detail;
    }
}

}  // namespace

const std::vector<std::string>& audio_file_extensions() {
    static const std::vector<std::string> extensions = {"wav", "flac", "ogg", "oga", "opus", "mp3",
                                                        "aif", "aiff", "au",  "caf", "w64"};
    return extensions;
}

bool has_extension(const std::filesystem::path& path, const std::vector<std::string>& extensions) {
    std::string ext = path.extension().string();
    if (ext.empty()) return false;
    ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

bool is_audio_file_name(const std::filesystem::path& path) { return has_extension(path, audio_file_extensions()); }

DecodedAudio decode_audio_file(const std::filesystem::path& path, double max_seconds) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
    if (std::filesystem::is_directory(path, ec)) fail(path, "it is a directory");
    if (std::filesystem::file_size(path, ec) == 0 && !ec) fail(path, "the file is empty");

    SF_INFO info{};
    SndFile file(sf_open(path.string().c_str(), SFM_READ, &info));
    if (!file) fail(path, open_failure(sf_error(nullptr)));
    if (info.channels < 1 || info.samplerate < 1) fail(path, "its header gives no channels or no sample rate");
    if (info.frames == 0) fail(path, "it contains no audio samples");

    // Refuse an overlong file from its header, before allocating anything for it; a length
    // the header does not give (SF_COUNT_MAX) is checked while reading.
    const double limit_frames = max_seconds * info.samplerate;
    const bool length_known = info.frames != SF_COUNT_MAX;
    if (length_known && static_cast<double>(info.frames) > limit_frames) {
        std::ostringstream why;
        why << "it lasts " << static_cast<double>(info.frames) / info.samplerate / 3600.0 << " h; ser reads at most "
            << max_seconds / 3600.0 << " h per file (cut it into shorter files)";
        fail(path, why.str());
    }
    reject_truncated_chunks(file.get(), path);

    DecodedAudio audio;
    audio.sample_rate = info.samplerate;
    audio.channels = info.channels;
    audio.format = format_name(info.format);
    // A damaged header may promise more than the file holds: reserve no more than 16 M
    // samples from its word alone, and let a longer file grow the buffer as it is read.
    if (length_known) audio.samples.reserve(static_cast<std::size_t>(std::min<sf_count_t>(info.frames, sf_count_t{1} << 24)));

    const auto channels = static_cast<std::size_t>(info.channels);
    constexpr sf_count_t chunk_frames = 16384;
    std::vector<float> interleaved(static_cast<std::size_t>(chunk_frames) * channels);
    for (;;) {
        const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), chunk_frames);
        if (got <= 0) break;
        for (sf_count_t i = 0; i < got; ++i) {
            double sum = 0.0;
            for (std::size_t c = 0; c < channels; ++c) sum += interleaved[static_cast<std::size_t>(i) * channels + c];
            audio.samples.push_back(static_cast<float>(sum / static_cast<double>(channels)));
        }
        if (static_cast<double>(audio.samples.size()) > limit_frames) {
            fail(path, "it lasts longer than " + std::to_string(max_seconds / 3600.0) + " h, the most ser reads per file");
        }
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR) fail(path, std::string("the audio is damaged: ") + sf_strerror(file.get()));
    if (audio.samples.empty()) fail(path, "no audio could be decoded (the file is damaged or truncated)");
    if (length_known && static_cast<sf_count_t>(audio.samples.size()) < info.frames) {
        fail(path, "the file is truncated or damaged: its header announces " + std::to_string(info.frames) +
                       " frames, only " + std::to_string(audio.samples.size()) + " could be decoded");
    }
    try {
        require_usable_pcm(audio.samples, "decoded audio");
    } catch (const std::invalid_argument& e) {
        fail(path, e.what());
    }
    return audio;
}

std::vector<float> load_audio(const std::filesystem::path& path, int target_rate) {
    DecodedAudio audio = decode_audio_file(path);
    if (audio.sample_rate == target_rate) return std::move(audio.samples);
    try {
        return resample(audio.samples, audio.sample_rate, target_rate);
    } catch (const std::invalid_argument& e) {
        fail(path, e.what());
    }
}

}  // namespace ser
