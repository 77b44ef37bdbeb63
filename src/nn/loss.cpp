#include "nn/loss.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ser::nn {
namespace {

float loss_from_targets(const Batch& logits, const std::vector<float>& q, const LossConfig& cfg, Batch& d) {
    const int n = logits.n, k = logits.shape.size();
    if (!cfg.class_weights.empty() && static_cast<int>(cfg.class_weights.size()) != k)
        throw std::invalid_argument("loss: " + std::to_string(cfg.class_weights.size()) + " class weights for " +
                                    std::to_string(k) + " classes");
    for (float w : cfg.class_weights)
        if (!(w >= 0.0f) || !std::isfinite(w)) throw std::invalid_argument("loss: class weights must be finite and >= 0");
    if (!(cfg.label_smoothing >= 0.0f && cfg.label_smoothing < 1.0f))
        throw std::invalid_argument("loss: label_smoothing must be in [0, 1)");

    if (!cfg.active_classes.empty() && static_cast<int>(cfg.active_classes.size()) != k)
        throw std::invalid_argument("loss: " + std::to_string(cfg.active_classes.size()) + " active-class flags for " +
                                    std::to_string(k) + " classes");
    auto active = [&](int c) { return cfg.active_classes.empty() || cfg.active_classes[static_cast<std::size_t>(c)]; };
    int active_count = 0;
    for (int c = 0; c < k; ++c) active_count += active(c);
    if (active_count == 0) throw std::invalid_argument("loss: no active class");

    d.resize(n, logits.shape);
    double total = 0.0;
    std::vector<double> p(static_cast<std::size_t>(k));
    for (int s = 0; s < n; ++s) {
        const float* z = logits.sample(s);
        double m = -INFINITY;
        for (int c = 0; c < k; ++c) {
            if (!std::isfinite(z[c]))
                throw std::runtime_error("loss: non-finite logit in sample " + std::to_string(s) +
                                         " (training diverged: lower the learning rate or enable gradient clipping)");
            if (active(c)) m = std::max(m, static_cast<double>(z[c]));
        }
        double sum = 0.0;
        for (int c = 0; c < k; ++c) sum += p[c] = active(c) ? std::exp(z[c] - m) : 0.0;
        const double log_sum = std::log(sum);
        auto target_of = [&](int c) {
            const double q_c = q[static_cast<std::size_t>(s) * k + c];
            if (!active(c)) {
                if (q_c != 0.0) throw std::invalid_argument("loss: sample " + std::to_string(s) + " has an inactive class as target");
                return 0.0;
            }
            return (1.0 - cfg.label_smoothing) * q_c + cfg.label_smoothing / active_count;
        };
        double wq_total = 0.0;
        for (int c = 0; c < k; ++c) {
            const double target = target_of(c);
            const double w = cfg.class_weights.empty() ? 1.0 : cfg.class_weights[c];
            if (target != 0.0) total -= w * target * (z[c] - m - log_sum);
            wq_total += w * target;
        }
        float* g = d.sample(s);
        for (int c = 0; c < k; ++c) {
            const double w = cfg.class_weights.empty() ? 1.0 : cfg.class_weights[c];
            g[c] = static_cast<float>((p[c] / sum * wq_total - w * target_of(c)) / n);
        }
    }
    return static_cast<float>(total / n);
}

}  // namespace

float softmax_cross_entropy(const Batch& logits, std::span<const int> labels, const LossConfig& cfg, Batch& d_logits) {
    const int k = logits.shape.size();
    if (static_cast<int>(labels.size()) != logits.n)
        throw std::invalid_argument("loss: " + std::to_string(labels.size()) + " labels for " + std::to_string(logits.n) +
                                    " samples");
    std::vector<float> q(static_cast<std::size_t>(logits.n) * k, 0.0f);
    for (std::size_t s = 0; s < labels.size(); ++s) {
        if (labels[s] < 0 || labels[s] >= k)
            throw std::invalid_argument("loss: label " + std::to_string(labels[s]) + " of sample " + std::to_string(s) +
                                        " is outside [0, " + std::to_string(k) + ")");
        q[s * k + labels[s]] = 1.0f;
    }
    return loss_from_targets(logits, q, cfg, d_logits);
}

float softmax_cross_entropy(const Batch& logits, std::span<const float> soft_targets, const LossConfig& cfg,
                            Batch& d_logits) {
    const int k = logits.shape.size();
    if (soft_targets.size() != static_cast<std::size_t>(logits.n) * k)
        throw std::invalid_argument("loss: soft targets must be [samples][classes] = " + std::to_string(logits.n) + " x " +
                                    std::to_string(k) + " values");
    for (int s = 0; s < logits.n; ++s) {
        double sum = 0.0;
        for (int c = 0; c < k; ++c) {
            const float v = soft_targets[static_cast<std::size_t>(s) * k + c];
            if (!(v >= 0.0f && v <= 1.0f)) throw std::invalid_argument("loss: soft targets must lie in [0, 1]");
            sum += v;
        }
        if (std::abs(sum - 1.0) > 1e-3)
            throw std::invalid_argument("loss: soft targets of sample " + std::to_string(s) + " sum to " +
                                        std::to_string(sum) + ", not 1");
    }
    return loss_from_targets(logits, {soft_targets.begin(), soft_targets.end()}, cfg, d_logits);
}

}  // namespace ser::nn
