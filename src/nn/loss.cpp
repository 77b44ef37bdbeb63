#include "nn/loss.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ser::nn {
namespace {

float loss_from_targets(const Batch& logits, const std::vector<float>& q, const LossConfig& cfg,
                        std::span<const std::uint8_t> allowed, Batch& d) {
    const int n = logits.n, k = logits.shape.size();
    if (!cfg.class_weights.empty() && static_cast<int>(cfg.class_weights.size()) != k)
        throw std::invalid_argument("loss: " + std::to_string(cfg.class_weights.size()) + " class weights for " +
                                    std::to_string(k) + " classes");
    for (float w : cfg.class_weights)
        if (!(w >= 0.0f) || !std::isfinite(w)) throw std::invalid_argument("loss: class weights must be finite and >= 0");
    if (!(cfg.label_smoothing >= 0.0f && cfg.label_smoothing < 1.0f))
        throw std::invalid_argument("loss: label_smoothing must be in [0, 1)");
    if (!allowed.empty() && allowed.size() != static_cast<std::size_t>(n) * k)
        throw std::invalid_argument("loss: allowed classes must be [samples][classes] = " + std::to_string(n) + " x " +
                                    std::to_string(k) + " flags");

    d.resize(n, logits.shape);
    double total = 0.0;
    std::vector<double> p(static_cast<std::size_t>(k));
    for (int s = 0; s < n; ++s) {
        const float* z = logits.sample(s);
        const std::uint8_t* on = allowed.empty() ? nullptr : allowed.data() + static_cast<std::size_t>(s) * k;
        const float* qs = q.data() + static_cast<std::size_t>(s) * k;
        auto in = [&](int c) { return on == nullptr || on[c] != 0; };
        double m = -HUGE_VAL;
        int classes = 0;
        for (int c = 0; c < k; ++c) {
            if (!std::isfinite(z[c]))
                throw std::runtime_error("loss: non-finite logit in sample " + std::to_string(s) +
                                         " (training diverged: lower the learning rate or enable gradient clipping)");
            if (!in(c)) {
                if (qs[c] > 0.0f)
                    throw std::invalid_argument("loss: sample " + std::to_string(s) + " has its target on class " +
                                                std::to_string(c) + ", which it does not allow");
                continue;
            }
            m = std::max(m, static_cast<double>(z[c]));
            ++classes;
        }
        if (classes == 0) throw std::invalid_argument("loss: sample " + std::to_string(s) + " allows no class");
        double sum = 0.0;
        for (int c = 0; c < k; ++c) sum += p[c] = in(c) ? std::exp(z[c] - m) : 0.0;
        const double log_sum = std::log(sum);
        auto target = [&](int c) { return (1.0 - cfg.label_smoothing) * qs[c] + cfg.label_smoothing / classes; };
        auto weight = [&](int c) { return cfg.class_weights.empty() ? 1.0 : static_cast<double>(cfg.class_weights[c]); };
        double wq_total = 0.0;
        for (int c = 0; c < k; ++c) {
            if (!in(c)) continue;
            total -= weight(c) * target(c) * (z[c] - m - log_sum);
            wq_total += weight(c) * target(c);
        }
        float* g = d.sample(s);
        for (int c = 0; c < k; ++c)
            g[c] = in(c) ? static_cast<float>((p[c] / sum * wq_total - weight(c) * target(c)) / n) : 0.0f;
    }
    return static_cast<float>(total / n);
}

float mixed_loss(const Batch& logits, const std::vector<float>& q, const LossConfig& cfg,
                 std::span<const std::uint8_t> allowed, Batch& d) {
    if (!(cfg.mask_leak >= 0.0f && cfg.mask_leak <= 1.0f)) throw std::invalid_argument("loss: mask_leak must be in [0, 1]");
    if (allowed.empty() || cfg.mask_leak == 0.0f) return loss_from_targets(logits, q, cfg, allowed, d);
    Batch plain_d;
    const float plain = loss_from_targets(logits, q, cfg, {}, plain_d);
    const float masked = loss_from_targets(logits, q, cfg, allowed, d);
    const float s = cfg.mask_leak;
    for (std::size_t i = 0; i < d.data.size(); ++i) d.data[i] = (1.0f - s) * d.data[i] + s * plain_d.data[i];
    return (1.0f - s) * masked + s * plain;
}

}  // namespace

float softmax_cross_entropy(const Batch& logits, std::span<const int> labels, const LossConfig& cfg, Batch& d_logits,
                            std::span<const std::uint8_t> allowed) {
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
    return mixed_loss(logits, q, cfg, allowed, d_logits);
}

float softmax_cross_entropy(const Batch& logits, std::span<const float> soft_targets, const LossConfig& cfg,
                            Batch& d_logits, std::span<const std::uint8_t> allowed) {
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
    return mixed_loss(logits, {soft_targets.begin(), soft_targets.end()}, cfg, allowed, d_logits);
}

}  // namespace ser::nn
