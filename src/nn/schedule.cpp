#include "nn/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ser::nn {

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
