#pragma once
// The one way ser writes a JSON document. nlohmann::json prints a NaN or an infinity as
// `null`, silently: a result or a weight that went non-finite would read back as a
// different value or not at all. Writing refuses it instead, naming where it sits.

#include <nlohmann/json.hpp>

#include <string>

namespace ser {

// j.dump(indent), after checking every number; throws std::domain_error naming the first
// non-finite number's path (e.g. "timeline[3].probabilities.sad"). Bytes that are not
// UTF-8 (file names come from the user) are replaced rather than thrown on.
std::string json_text(const nlohmann::json& j, int indent = -1);

}  // namespace ser
