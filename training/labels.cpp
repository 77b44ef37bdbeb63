#include "training/labels.h"

#include <algorithm>
#include <stdexcept>

namespace ser {

namespace {

bool is_canonical(std::string_view emotion) {
    return std::find(std::begin(canonical_emotions), std::end(canonical_emotions), emotion) !=
           std::end(canonical_emotions);
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

}  // namespace

std::optional<std::string> apply_label_options(std::string_view emotion, const LabelOptions& options) {
    if (!is_canonical(emotion)) throw std::invalid_argument("unknown emotion '" + std::string(emotion) + "'");
    if (emotion == "calm" && options.merge_calm_into_neutral) return std::string("neutral");
    if (emotion == "boredom" && !options.keep_boredom) return std::nullopt;
    return std::string(emotion);
}

int label_index(const std::vector<std::string>& labels, std::string_view label) {
    const auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end())
        throw std::invalid_argument("label '" + std::string(label) + "' is not one of the model's labels (" +
                                    joined(labels) + ")");
    return static_cast<int>(it - labels.begin());
}

}  // namespace ser
