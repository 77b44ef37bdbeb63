#include "training/optimizer_json.h"

namespace ser {
namespace {

// The settings are float32; so are their bounds, so that a written value reads back.
float float_value(JsonReader& r, const char* key, float fallback, float lo, float hi) {
    return static_cast<float>(r.number(key, fallback, lo, hi));
}

}  // namespace

nn::OptimizerConfig read_optimizer_config(JsonReader r) {
    nn::OptimizerConfig c;
    c.kind = r.one_of("kind", std::optional(c.kind),
                      {{"sgd", nn::OptimizerKind::sgd}, {"rmsprop", nn::OptimizerKind::rmsprop}, {"adam", nn::OptimizerKind::adam}});
    c.momentum = float_value(r, "momentum", c.momentum, 0.0f, 0.9999f);
    c.nesterov = r.boolean("nesterov", c.nesterov);
    c.rho = float_value(r, "rho", c.rho, 0.0f, 0.9999f);
    c.beta1 = float_value(r, "beta1", c.beta1, 0.0f, 0.9999f);
    c.beta2 = float_value(r, "beta2", c.beta2, 0.0f, 0.999999f);
    c.epsilon = float_value(r, "epsilon", c.epsilon, 1e-12f, 1.0f);
    c.l1 = float_value(r, "l1", c.l1, 0.0f, 1.0f);
    c.l2 = float_value(r, "l2", c.l2, 0.0f, 1.0f);
    c.clip_norm = float_value(r, "clip_norm", c.clip_norm, 0.0f, 1e6f);
    r.finish();
    return c;
}

nn::ScheduleConfig read_schedule_config(JsonReader r) {
    nn::ScheduleConfig c;
    c.kind = r.one_of("kind", std::optional(c.kind),
                      {{"constant", nn::ScheduleKind::constant}, {"step", nn::ScheduleKind::step},
                       {"cosine", nn::ScheduleKind::cosine}, {"plateau", nn::ScheduleKind::plateau}});
    c.base_lr = r.number("base_lr", c.base_lr, 0.0, 10.0);
    c.warmup_epochs = r.number("warmup_epochs", c.warmup_epochs, 0.0, 1e6);
    c.warmup_start = r.number("warmup_start", c.warmup_start, 0.0, 1.0);
    c.step_epochs = r.integer("step_epochs", c.step_epochs, 1, 1000000);
    c.gamma = r.number("gamma", c.gamma, 0.0, 1.0);
    c.total_epochs = r.number("total_epochs", c.total_epochs, 1e-9, 1e6);
    c.min_lr = r.number("min_lr", c.min_lr, 0.0, 10.0);
    c.factor = r.number("factor", c.factor, 0.0, 1.0);
    c.patience = r.integer("patience", c.patience, 0, 1000000);
    c.threshold = r.number("threshold", c.threshold, 0.0, 1.0);
    c.maximise = r.boolean("maximise", c.maximise);
    r.finish();
    return c;
}

nn::OptimizerConfig optimizer_config_from_json(const nlohmann::json& json) {
    return read_optimizer_config(JsonReader(json, "optimizer", KeyNaming::in_parent));
}

nn::ScheduleConfig schedule_config_from_json(const nlohmann::json& json) {
    return read_schedule_config(JsonReader(json, "schedule", KeyNaming::in_parent));
}

nlohmann::json to_json(const nn::OptimizerConfig& c) {
    const char* kind = c.kind == nn::OptimizerKind::sgd       ? "sgd"
                       : c.kind == nn::OptimizerKind::rmsprop ? "rmsprop"
                                                              : "adam";
    return {{"kind", kind},     {"momentum", c.momentum}, {"nesterov", c.nesterov}, {"rho", c.rho},
            {"beta1", c.beta1}, {"beta2", c.beta2},       {"epsilon", c.epsilon},   {"l1", c.l1},
            {"l2", c.l2},       {"clip_norm", c.clip_norm}};
}

nlohmann::json to_json(const nn::ScheduleConfig& c) {
    static const char* kinds[] = {"constant", "step", "cosine", "plateau"};
    return {{"kind", kinds[static_cast<int>(c.kind)]},
            {"base_lr", c.base_lr},
            {"warmup_epochs", c.warmup_epochs},
            {"warmup_start", c.warmup_start},
            {"step_epochs", c.step_epochs},
            {"gamma", c.gamma},
            {"total_epochs", c.total_epochs},
            {"min_lr", c.min_lr},
            {"factor", c.factor},
            {"patience", c.patience},
            {"threshold", c.threshold},
            {"maximise", c.maximise}};
}

}  // namespace ser
