#pragma once
// The one label set every corpus maps to, and the options that reshape it (calm merged into
// neutral, EMO-DB's boredom kept or dropped).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ser {

// Canonical order: models list their labels in this order unless told otherwise.
inline constexpr std::string_view canonical_emotions[] = {"neutral", "calm",      "happy",    "sad",    "angry",
                                                          "fearful", "disgust",   "surprised", "boredom"};

struct LabelOptions {
    bool merge_calm_into_neutral = false;
    // Only EMO-DB has boredom; the shipped models have 8 labels, so it is dropped by default.
    bool keep_boredom = false;
};

// The label an emotion becomes under the options, or nothing when the options drop it.
// Throws std::invalid_argument for a name outside canonical_emotions.
std::optional<std::string> apply_label_options(std::string_view emotion, const LabelOptions& options);

// Position of `label` in `labels`; throws std::invalid_argument naming the label and the list.
int label_index(const std::vector<std::string>& labels, std::string_view label);

}  // namespace ser
