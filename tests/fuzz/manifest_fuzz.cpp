// libFuzzer target: any bytes as a batch manifest or a `ser adapt --labels` CSV (one
// reader, io/manifest_reader). Every entry it gives has a path (or an error saying which
// line lacks one) and, in a CSV, one value per asked-for column; anything it cannot parse
// is a std::runtime_error naming the manifest.

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include "io/manifest_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    ser::ManifestReader reader(in, "fuzz.csv", {"label"});
    try {
        while (const auto entry = reader.next()) {
            if (entry->path.empty()) __builtin_trap();
            if (reader.is_csv() && reader.values().size() != 1) __builtin_trap();
            if (!reader.is_csv() && (!entry->error.empty() || !reader.values().empty())) __builtin_trap();
        }
    } catch (const std::runtime_error& e) {
        if (std::string(e.what()).find("fuzz.csv") == std::string::npos) __builtin_trap();
    }
    return 0;
}
