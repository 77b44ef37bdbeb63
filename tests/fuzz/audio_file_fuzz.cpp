// libFuzzer target: any bytes as an audio file. load_audio either returns finite mono PCM
// at the asked rate or throws std::runtime_error naming the file; anything else escaping,
// a crash, a sanitizer report or an allocation past -malloc_limit_mb is a finding.
//
// The decoder takes a path (libsndfile opens it), so each input is written to one file per
// fuzzing process. libsndfile itself is not instrumented: coverage guides the search through
// our checks around it, not through its parsers.

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "io/audio_file.h"

namespace {

std::filesystem::path input_path() {
    const std::filesystem::path shm = "/dev/shm";
    const auto dir = std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
    return dir / ("ser-fuzz-audio-" + std::to_string(getpid()));
}

struct InputFile {
    std::filesystem::path path = input_path();
    ~InputFile() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const InputFile file;
    {
        std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        for (const float x : ser::load_audio(file.path, 16000)) {
            if (!std::isfinite(x)) __builtin_trap();  // the decoder promises finite samples
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
