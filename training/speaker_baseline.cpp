#include "training/speaker_baseline.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace ser {
namespace {

// A floor under log-probabilities: one window's near-zero answer must not dominate the mean.
constexpr double min_probability = 1e-6;

void check_size(std::span<const float> p, std::size_t labels) {
    if (p.size() != labels)
        throw std::invalid_argument("speaker baseline: expected " + std::to_string(labels) + " probabilities, got " +
                                    std::to_string(p.size()));
}

}  // namespace

SpeakerBaseline::SpeakerBaseline(int labels, double prior_s)
    : prior_s_(prior_s), sum_(static_cast<std::size_t>(std::max(labels, 0)), 0.0) {
    if (labels < 2) throw std::invalid_argument("speaker baseline: needs two labels or more");
    if (!(prior_s >= 0.0) || !std::isfinite(prior_s))
        throw std::invalid_argument("speaker baseline: the prior must be finite and >= 0 seconds");
}

void SpeakerBaseline::add(std::span<const float> probabilities, double speech_s) {
    check_size(probabilities, sum_.size());
    if (!(speech_s >= 0.0) || !std::isfinite(speech_s))
        throw std::invalid_argument("speaker baseline: speech seconds must be finite and >= 0");
    for (std::size_t k = 0; k < sum_.size(); ++k)
        sum_[k] += speech_s * std::log(std::max(static_cast<double>(probabilities[k]), min_probability));
    weight_ += speech_s;
}

std::vector<double> SpeakerBaseline::lean() const {
    std::vector<double> out(sum_.size(), 0.0);
    if (weight_ <= 0.0) return out;
    const double mean = std::accumulate(sum_.begin(), sum_.end(), 0.0) / static_cast<double>(sum_.size());
    for (std::size_t k = 0; k < sum_.size(); ++k) out[k] = (sum_[k] - mean) / (weight_ + prior_s_);
    return out;
}

void SpeakerBaseline::apply(std::span<float> probabilities) const {
    check_size(probabilities, sum_.size());
    if (weight_ <= 0.0) return;
    const std::vector<double> b = lean();
    std::vector<double> logit(sum_.size());
    for (std::size_t k = 0; k < sum_.size(); ++k)
        logit[k] = std::log(std::max(static_cast<double>(probabilities[k]), min_probability)) - b[k];
    const double top = *std::max_element(logit.begin(), logit.end());
    double total = 0.0;
    for (double& v : logit) total += (v = std::exp(v - top));
    for (std::size_t k = 0; k < sum_.size(); ++k) probabilities[k] = static_cast<float>(logit[k] / total);
}

void SpeakerBaseline::reset() {
    std::fill(sum_.begin(), sum_.end(), 0.0);
    weight_ = 0.0;
}

}  // namespace ser
