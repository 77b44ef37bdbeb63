#include "model/json_text.h"

#include <cmath>
#include <stdexcept>

namespace ser {
namespace {

void require_finite_numbers(const nlohmann::json& j, const std::string& path) {
    if (j.is_number_float() && !std::isfinite(j.get<double>())) {
        throw std::domain_error("refusing to write " + std::string(std::isnan(j.get<double>()) ? "NaN" : "an infinity") +
                                " at " + (path.empty() ? "the top level" : path) +
                                " of a JSON document (JSON has no such number; this is a bug in what computed it)");
    }
    if (j.is_object())
        for (const auto& [key, value] : j.items()) require_finite_numbers(value, path.empty() ? key : path + "." + key);
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i) require_finite_numbers(j[i], path + "[" + std::to_string(i) + "]");
}

}  // namespace

std::string json_text(const nlohmann::json& j, int indent) {
    require_finite_numbers(j, "");
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ser
