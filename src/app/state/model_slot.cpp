#include "app/state/model_slot.h"

#include <exception>

namespace ser::app {

const char* to_string(ModelStatus status) {
    switch (status) {
        case ModelStatus::loading: return "loading";
        case ModelStatus::missing: return "missing";
        case ModelStatus::ready: return "ready";
    }
    return "?";
}

void ModelSlot::set_missing(std::string message) {
    if (model_) return;  // a model the user loaded meanwhile stays
    status_ = ModelStatus::missing;
    missing_reason_ = std::move(message);
}

bool ModelSlot::load(std::string name, std::string_view json_text) {
    try {
        Model loaded = load_model(json_text);
        ModelCard card = model_card(loaded);
        model_ = std::move(loaded);
        card_ = std::move(card);
    } catch (const std::exception& e) {
        refusal_ = "The model file '" + name + "' was refused: " + e.what();
        if (!model_) {
            status_ = ModelStatus::missing;
            missing_reason_ = "the model file could not be used.";
        }
        return false;
    }
    name_ = std::move(name);
    refusal_.clear();
    missing_reason_.clear();
    status_ = ModelStatus::ready;
    ++generation_;
    return true;
}

}  // namespace ser::app
