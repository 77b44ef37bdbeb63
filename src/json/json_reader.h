#pragma once
// The one strict reader of JSON settings (feature configs, model files, training configs):
// every key a reader is asked for counts as known and finish() rejects any other, so a typo
// is an error rather than a silently ignored setting; types and ranges are checked where the
// value is read; every message names the key's path ("mel.n_mels", "layers[3].rate").

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ser {

// How the messages about the shape of a document name a key. Documents keep the wording
// their users (and tests) have always seen:
//   full_path: unknown key "mel.n_mel" / missing key "mel.n_mels" / "stft" must be a JSON object
//   in_parent: adaptation: unknown key 'note' / adaptation: missing key 'base' / adaptation must be an object
// Messages about a value are the same in both: "mel.n_mels must be an integer, not 4.5".
enum class KeyNaming { full_path, in_parent };

// Thrown for every problem a reader finds: "<subject>: <what>".
class JsonReadError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

class JsonReader {
public:
    // The root of a document, which must be a JSON object. `subject` starts every message
    // ("feature config"); `path` names the root when it sits inside a larger document.
    JsonReader(const nlohmann::json& value, std::string subject, KeyNaming naming = KeyNaming::full_path,
               std::string path = "");

    const nlohmann::json& value() const { return *value_; }
    const std::string& path() const { return path_; }
    // How messages show `key` of this object ("mel.n_mels", or "n_mels" at the root).
    std::string name(std::string_view key) const;
    std::string element(std::string_view key, std::size_t index) const;  // "steps[2]"

    [[noreturn]] void fail(const std::string& what) const;                            // "<subject>: <what>"
    [[noreturn]] void fail_at(std::string_view key, const std::string& what) const;   // "<name(key)> <what>"

    // --- members of this object; each counts `key` as known ---
    bool has(std::string_view key) const;
    const nlohmann::json* find(std::string_view key);  // null when absent
    const nlohmann::json& need(std::string_view key);  // absent: "missing key"

    int integer(std::string_view key, std::optional<int> fallback, long long lo, long long hi);
    std::uint64_t unsigned_integer(std::string_view key, std::optional<std::uint64_t> fallback);
    // Finite numbers in [lo, hi].
    double number(std::string_view key, std::optional<double> fallback,
                  double lo = -std::numeric_limits<double>::max(), double hi = std::numeric_limits<double>::max());
    // Absent: the fallback; null: empty ("not set").
    std::optional<double> nullable_number(std::string_view key, std::optional<double> fallback);
    bool boolean(std::string_view key, std::optional<bool> fallback);
    std::string string(std::string_view key, std::optional<std::string> fallback);
    std::vector<std::string> strings(std::string_view key, std::optional<std::vector<std::string>> fallback);
    // An array of numbers that fit a float32 (weights, statistics, logits).
    std::vector<float> floats(std::string_view key);

    // A string naming one of `choices`.
    template <class T>
    T one_of(std::string_view key, std::optional<T> fallback,
             std::initializer_list<std::pair<const char*, T>> choices) {
        const nlohmann::json* v = find(key);
        if (!v) return required(key, std::move(fallback));
        std::string names;
        for (const auto& [choice, value] : choices) {
            if (v->is_string() && v->get_ref<const std::string&>() == choice) return value;
            names += (names.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
        }
        fail_at(key, "must be one of " + names + ", not " + shown(*v));
    }

    // A member object, read by the reader returned (call its finish()).
    JsonReader object(std::string_view key);
    // As object(), but an absent key reads as an empty object (an optional section).
    JsonReader section(std::string_view key);
    // The elements of a member array, each as a reader.
    std::vector<JsonReader> array(std::string_view key, bool allow_empty = true);

    // This value must be an object (array elements are not checked until read).
    void require_object() const;

    // Rejects every key of this object that no call above asked for, listing those that were.
    void finish() const;

    // A value as messages quote it, shortened when long.
    static std::string shown(const nlohmann::json& v);

private:
    JsonReader(const nlohmann::json& value, const JsonReader& parent, std::string path);
    template <class T>
    T required(std::string_view key, std::optional<T> fallback) {
        if (!fallback) missing(key);
        return std::move(*fallback);
    }
    [[noreturn]] void missing(std::string_view key) const;

    const nlohmann::json* value_;
    std::string subject_;
    KeyNaming naming_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
    std::vector<std::string> asked_;  // known_ in the order asked, as messages list them
};

}  // namespace ser
