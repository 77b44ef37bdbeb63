// libFuzzer target: any bytes as a model file, as the CLI and the page's worker load one.
// load_model either returns a model (whose selftest passed) or throws ModelError; any other
// exception, a crash or a sanitizer report is a finding.

#include <cstdint>
#include <string_view>

#include "model/model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        ser::load_model(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const ser::ModelError&) {
    }
    return 0;
}
