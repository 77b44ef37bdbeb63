#include "nn/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <stdexcept>

namespace ser::nn {

nlohmann::json to_json(const ScheduleConfig& c) {
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

ScheduleConfig schedule_config_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw std::invalid_argument("schedule: settings must be a JSON object");
    static const std::set<std::string> known{"kind",   "base_lr", "warmup_epochs", "warmup_start", "step_epochs", "gamma",
                                             "total_epochs", "min_lr", "factor", "patience", "threshold", "maximise"};
    for (const auto& [key, value] : j.items())
        if (!known.count(key)) throw std::invalid_argument("schedule: unknown key '" + key + "'");
    ScheduleConfig c;
    if (j.contains("kind")) {
        const std::string k = j["kind"].is_string() ? j["kind"].get<std::string>() : "";
        if (k == "constant") c.kind = ScheduleKind::constant;
        else if (k == "step") c.kind = ScheduleKind::step;
        else if (k == "cosine") c.kind = ScheduleKind::cosine;
        else if (k == "plateau") c.kind = ScheduleKind::plateau;
        else throw std::invalid_argument("schedule: 'kind' must be constant, step, cosine or plateau, not " + j["kind"].dump());
    }
    auto num = [&](const char* key, double& out, double lo, double hi) {
        if (!j.contains(key)) return;
        if (!j[key].is_number() || !(j[key].get<double>() >= lo && j[key].get<double>() <= hi))
            throw std::invalid_argument(std::string("schedule: '") + key + "' must be a number in [" + std::to_string(lo) +
                                        ", " + std::to_string(hi) + "], not " + j[key].dump());
        out = j[key].get<double>();
    };
    auto integer = [&](const char* key, int& out, int lo) {
        if (!j.contains(key)) return;
        if (!j[key].is_number_integer() || j[key].get<long long>() < lo || j[key].get<long long>() > 1000000)
            throw std::invalid_argument(std::string("schedule: '") + key + "' must be an integer >= " + std::to_string(lo));
        out = j[key].get<int>();
    };
    num("base_lr", c.base_lr, 0.0, 10.0);
    num("warmup_epochs", c.warmup_epochs, 0.0, 1e6);
    num("warmup_start", c.warmup_start, 0.0, 1.0);
    integer("step_epochs", c.step_epochs, 1);
    num("gamma", c.gamma, 0.0, 1.0);
    num("total_epochs", c.total_epochs, 1e-9, 1e6);
    num("min_lr", c.min_lr, 0.0, 10.0);
    num("factor", c.factor, 0.0, 1.0);
    integer("patience", c.patience, 0);
    num("threshold", c.threshold, 0.0, 1.0);
    if (j.contains("maximise")) {
        if (!j["maximise"].is_boolean()) throw std::invalid_argument("schedule: 'maximise' must be true or false");
        c.maximise = j["maximise"].get<bool>();
    }
    return c;
}

LrSchedule::LrSchedule(ScheduleConfig config) : c_(config), plateau_lr_(config.base_lr), best_(0.0) {}

double LrSchedule::at(double epoch) const {
    if (epoch < c_.warmup_epochs) {
        const double f = epoch / c_.warmup_epochs;
        return c_.base_lr * (c_.warmup_start + (1.0 - c_.warmup_start) * f);
    }
    const double e = epoch - c_.warmup_epochs;
    switch (c_.kind) {
        case ScheduleKind::constant: return c_.base_lr;
        case ScheduleKind::step: return c_.base_lr * std::pow(c_.gamma, std::floor(e / c_.step_epochs));
        case ScheduleKind::cosine: {
            const double f = std::min(e / c_.total_epochs, 1.0);
            return c_.min_lr + (c_.base_lr - c_.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * f));
        }
        case ScheduleKind::plateau: return plateau_lr_;
    }
    return c_.base_lr;
}

void LrSchedule::observe(double metric) {
    if (c_.kind != ScheduleKind::plateau) return;
    if (!std::isfinite(metric)) throw std::invalid_argument("schedule: the observed metric is not finite");
    const double margin = c_.threshold * std::abs(has_best_ ? best_ : metric);
    const bool better = !has_best_ || (c_.maximise ? metric > best_ + margin : metric < best_ - margin);
    if (better) {
        best_ = metric;
        has_best_ = true;
        bad_epochs_ = 0;
        return;
    }
    if (++bad_epochs_ > c_.patience) {
        plateau_lr_ = std::max(plateau_lr_ * c_.factor, c_.min_lr);
        bad_epochs_ = 0;
    }
}

}  // namespace ser::nn
