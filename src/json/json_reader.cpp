#include "json/json_reader.h"

#include <cmath>
#include <cstdio>

namespace ser {
namespace {

std::string format_number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

const nlohmann::json& empty_object() {
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}

}  // namespace

JsonReader::JsonReader(const nlohmann::json& value, std::string subject, KeyNaming naming, std::string path)
    : value_(&value), subject_(std::move(subject)), naming_(naming), path_(std::move(path)) {
    require_object();
}

JsonReader::JsonReader(const nlohmann::json& value, const JsonReader& parent, std::string path)
    : value_(&value), subject_(parent.subject_), naming_(parent.naming_), path_(std::move(path)) {}

std::string JsonReader::name(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string JsonReader::element(std::string_view key, std::size_t index) const {
    std::string text = name(key);
    text += '[';
    text += std::to_string(index);
    text += ']';
    return text;
}

void JsonReader::fail(const std::string& what) const { throw JsonReadError(subject_ + ": " + what); }

void JsonReader::fail_at(std::string_view key, const std::string& what) const { fail(name(key) + " " + what); }

void JsonReader::missing(std::string_view key) const {
    if (naming_ == KeyNaming::full_path) fail("missing key \"" + name(key) + "\"");
    fail((path_.empty() ? "" : path_ + ": ") + "missing key '" + std::string(key) + "'");
}

std::string JsonReader::shown(const nlohmann::json& v) {
    std::string text = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    constexpr std::size_t longest = 60;
    return text.size() <= longest ? text : text.substr(0, longest) + "...";
}

bool JsonReader::has(std::string_view key) const { return value_->contains(key); }

const nlohmann::json* JsonReader::find(std::string_view key) {
    if (known_.emplace(key).second) asked_.emplace_back(key);
    const auto it = value_->find(key);
    return it == value_->end() ? nullptr : &*it;
}

const nlohmann::json& JsonReader::need(std::string_view key) {
    const nlohmann::json* v = find(key);
    if (!v) missing(key);
    return *v;
}

int JsonReader::integer(std::string_view key, std::optional<int> fallback, long long lo, long long hi) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, fallback);
    if (!v->is_number_integer()) fail_at(key, "must be an integer, not " + shown(*v));
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
        fail_at(key, "= " + shown(*v) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    const auto x = v->get<long long>();
    if (x < lo || x > hi)
        fail_at(key, "= " + std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<int>(x);
}

std::uint64_t JsonReader::unsigned_integer(std::string_view key, std::optional<std::uint64_t> fallback) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, fallback);
    const bool negative = v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0;
    if (!v->is_number_integer() || negative) fail_at(key, "must be a non-negative integer, not " + shown(*v));
    return v->get<std::uint64_t>();
}

double JsonReader::number(std::string_view key, std::optional<double> fallback, double lo, double hi) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, fallback);
    if (!v->is_number()) fail_at(key, "must be a number, not " + shown(*v));
    const double x = v->get<double>();
    if (!std::isfinite(x)) fail_at(key, "must be a finite number");
    if (!(x >= lo && x <= hi))
        fail_at(key, "= " + shown(*v) + " is out of range [" + format_number(lo) + ", " + format_number(hi) + "]");
    return x;
}

std::optional<double> JsonReader::nullable_number(std::string_view key, std::optional<double> fallback) {
    const nlohmann::json* v = find(key);
    if (!v) return fallback;
    if (v->is_null()) return std::nullopt;
    if (!v->is_number() || !std::isfinite(v->get<double>()))
        fail_at(key, "must be a number or null, not " + shown(*v));
    return v->get<double>();
}

bool JsonReader::boolean(std::string_view key, std::optional<bool> fallback) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, fallback);
    if (!v->is_boolean()) fail_at(key, "must be true or false, not " + shown(*v));
    return v->get<bool>();
}

std::string JsonReader::string(std::string_view key, std::optional<std::string> fallback) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, std::move(fallback));
    if (!v->is_string()) fail_at(key, "must be a string, not " + shown(*v));
    return v->get<std::string>();
}

std::vector<std::string> JsonReader::strings(std::string_view key, std::optional<std::vector<std::string>> fallback) {
    const nlohmann::json* v = find(key);
    if (!v) return required(key, std::move(fallback));
    if (!v->is_array()) fail_at(key, "must be an array of strings, not " + shown(*v));
    std::vector<std::string> out;
    for (const auto& item : *v) {
        if (!item.is_string()) fail_at(key, "must hold only strings, not " + shown(item));
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::vector<float> JsonReader::floats(std::string_view key) {
    const nlohmann::json& v = need(key);
    if (!v.is_array()) fail_at(key, "must be an array of numbers");
    std::vector<float> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number()) fail(element(key, i) + " is not a number");
        const double d = v[i].get<double>();
        if (!std::isfinite(d) || std::abs(d) > 3.4e38) fail(element(key, i) + " is not a finite float32");
        out.push_back(static_cast<float>(d));
    }
    return out;
}

JsonReader JsonReader::object(std::string_view key) {
    JsonReader child(need(key), *this, name(key));
    child.require_object();
    return child;
}

JsonReader JsonReader::section(std::string_view key) {
    const nlohmann::json* v = find(key);
    JsonReader child(v ? *v : empty_object(), *this, name(key));
    child.require_object();
    return child;
}

std::vector<JsonReader> JsonReader::array(std::string_view key, bool allow_empty) {
    const nlohmann::json& v = need(key);
    if (!v.is_array() || (!allow_empty && v.empty()))
        fail_at(key, std::string("must be ") + (allow_empty ? "an array" : "a non-empty array") + ", not " + shown(v));
    std::vector<JsonReader> items;
    for (std::size_t i = 0; i < v.size(); ++i) items.push_back(JsonReader(v[i], *this, element(key, i)));
    return items;
}

void JsonReader::require_object() const {
    if (value_->is_object()) return;
    if (path_.empty()) fail("the document must be a JSON object, not " + shown(*value_));
    if (naming_ == KeyNaming::full_path) fail("\"" + path_ + "\" must be a JSON object, not " + shown(*value_));
    fail(path_ + " must be an object, not " + shown(*value_));
}

void JsonReader::finish() const {
    for (const auto& [key, value] : value_->items()) {
        if (known_.count(key)) continue;
        std::string list;
        for (const auto& k : asked_) list += (list.empty() ? "" : ", ") + k;
        const std::string known = " (allowed: " + list + ")";
        if (naming_ == KeyNaming::full_path) fail("unknown key \"" + name(key) + "\"" + known);
        fail((path_.empty() ? "" : path_ + ": ") + "unknown key '" + key + "'" + known);
    }
}

}  // namespace ser
