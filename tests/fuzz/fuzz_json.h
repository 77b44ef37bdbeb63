#pragma once
// The start the JSON fuzz targets share: any bytes through a strict parser that takes JSON.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace ser::fuzz {

// parse(the bytes as JSON), or nothing when they are not JSON (nlohmann's own exception,
// thrown before our code runs) or `parse` refused them with std::invalid_argument, its
// documented refusal. Any other exception escapes to libFuzzer: a finding.
template <class Parse>
auto parse_accepted(const std::uint8_t* data, std::size_t size, Parse&& parse)
    -> std::optional<std::invoke_result_t<Parse, const nlohmann::json&>> {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(data, data + size);
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
    try {
        return parse(json);
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

}  // namespace ser::fuzz
