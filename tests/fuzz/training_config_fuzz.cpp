// libFuzzer target: any bytes as a training config (training/configs/*.json). The parser
// either accepts it or throws std::invalid_argument naming the key (a JSON syntax error is
// nlohmann's own exception, thrown before our code runs). An accepted config must write
// out and read back to the same JSON.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_json.h"
#include "training/training_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto written =
        ser::fuzz::parse_accepted(data, size, [](const nlohmann::json& json) { return ser::to_json(ser::training_config_from_json(json)); });
    if (!written) return 0;
    if (ser::to_json(ser::training_config_from_json(*written)) != *written) __builtin_trap();
    return 0;
}
