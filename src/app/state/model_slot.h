#pragma once
// The model the app classifies with: the default one the page fetches at start, or one the
// user loads. A file that fails validation or its selftest is refused with the reason and
// the model there was stays in use.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/state/model_card.h"
#include "model/model.h"

namespace ser::app {

enum class ModelStatus { loading, missing, ready };
const char* to_string(ModelStatus status);

class ModelSlot {
public:
    // The default model could not be fetched (why, for the user).
    void set_missing(std::string message);
    // Parses, validates and selftests `json_text`. Returns false when it is refused; the
    // reason is then in refusal() and the current model (if any) is kept.
    bool load(std::string name, std::string_view json_text);

    ModelStatus status() const { return status_; }
    const std::string& name() const { return name_; }
    const std::string& missing_reason() const { return missing_reason_; }
    const std::string& refusal() const { return refusal_; }   // of the last file refused, until one loads
    const Model* model() const { return model_ ? &*model_ : nullptr; }
    const ModelCard& card() const { return card_; }
    // Changes whenever another model is taken, so analyses built on the old one are rebuilt.
    std::uint64_t generation() const { return generation_; }

private:
    ModelStatus status_ = ModelStatus::loading;
    std::string name_;
    std::string missing_reason_;
    std::string refusal_;
    std::optional<Model> model_;
    ModelCard card_;
    std::uint64_t generation_ = 0;
};

}  // namespace ser::app
