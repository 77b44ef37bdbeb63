#include "analysis/smoother.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ser {

ProbabilitySmoother::ProbabilitySmoother(int classes, double hop_s, double time_constant_s, double forget_after_s)
    : hop_s_(hop_s), forget_after_s_(forget_after_s), smoothed_(static_cast<std::size_t>(classes > 0 ? classes : 0), 0.0f) {
    if (classes <= 0) throw std::invalid_argument("smoother: the class count must be positive");
    if (!(hop_s > 0.0)) throw std::invalid_argument("smoother: the hop must be positive");
    set_time_constant(time_constant_s);
}

void ProbabilitySmoother::set_time_constant(double time_constant_s) {
    if (!(time_constant_s >= 0.0) || !std::isfinite(time_constant_s))
        throw std::invalid_argument("smoother: the time constant must be finite and >= 0, got " + std::to_string(time_constant_s));
    // Weight kept from the past per hop: a step input reaches 63 % after time_constant_s.
    alpha_ = time_constant_s == 0.0 ? 0.0 : std::exp(-hop_s_ / time_constant_s);
}

std::span<const float> ProbabilitySmoother::push(std::span<const float> probabilities) {
    if (probabilities.size() != smoothed_.size())
        throw std::invalid_argument("smoother: expected " + std::to_string(smoothed_.size()) + " probabilities, got " +
                                    std::to_string(probabilities.size()));
    const auto keep = static_cast<float>(has_value_ ? alpha_ : 0.0);
    for (std::size_t i = 0; i < smoothed_.size(); ++i) smoothed_[i] = keep * smoothed_[i] + (1.0f - keep) * probabilities[i];
    has_value_ = true;
    silent_s_ = 0.0;
    return smoothed_;
}

void ProbabilitySmoother::skip() {
    silent_s_ += hop_s_;
    if (silent_s_ >= forget_after_s_) has_value_ = false;
}

void ProbabilitySmoother::reset() {
    has_value_ = false;
    silent_s_ = 0.0;
}

}  // namespace ser
