#include "nn/optimizer.h"

#include <cmath>
#include <stdexcept>

namespace ser::nn {

float clip_gradient_norm(const std::vector<Param*>& params, float max_norm) {
    double sq = 0.0;
    for (const Param* p : params)
        for (float g : p->grad) sq += static_cast<double>(g) * g;
    const auto norm = static_cast<float>(std::sqrt(sq));
    if (max_norm > 0.0f && norm > max_norm) {
        const float scale = max_norm / norm;
        for (Param* p : params)
            for (float& g : p->grad) g *= scale;
    }
    return norm;
}

Optimizer::Optimizer(OptimizerConfig config, std::vector<Param*> params) : config_(config), params_(std::move(params)) {
    for (const Param* p : params_) {
        if (!p->trainable) throw std::invalid_argument("optimizer: parameter '" + p->name + "' is not trainable");
        m_.emplace_back(p->size(), 0.0f);
        v_.emplace_back(config_.kind == OptimizerKind::sgd ? 0 : p->size(), 0.0f);
    }
}

float Optimizer::step(float lr) {
    if (!(lr >= 0.0f) || !std::isfinite(lr)) throw std::invalid_argument("optimizer: learning rate must be finite and >= 0");
    for (Param* p : params_) {
        if (!p->regularised || (config_.l1 == 0.0f && config_.l2 == 0.0f)) continue;
        for (std::size_t i = 0; i < p->size(); ++i) {
            const float w = p->value[i];
            p->grad[i] += config_.l2 * 2.0f * w + config_.l1 * static_cast<float>((w > 0.0f) - (w < 0.0f));
        }
    }
    const float norm = clip_gradient_norm(params_, config_.clip_norm);
    if (!std::isfinite(norm))
        throw std::runtime_error("optimizer: the gradient is not finite (training diverged: lower the learning rate)");
    ++t_;
    const auto& c = config_;
    const float bias1 = 1.0f - std::pow(c.beta1, static_cast<float>(t_));
    const float bias2 = 1.0f - std::pow(c.beta2, static_cast<float>(t_));
    for (std::size_t k = 0; k < params_.size(); ++k) {
        Param& p = *params_[k];
        std::vector<float>& m = m_[k];
        std::vector<float>& v = v_[k];
        for (std::size_t i = 0; i < p.size(); ++i) {
            const float g = p.grad[i];
            switch (c.kind) {
                case OptimizerKind::sgd:
                    if (c.momentum == 0.0f) {
                        p.value[i] -= lr * g;
                    } else {
                        m[i] = c.momentum * m[i] + g;
                        p.value[i] -= lr * (c.nesterov ? g + c.momentum * m[i] : m[i]);
                    }
                    break;
                case OptimizerKind::rmsprop:
                    v[i] = c.rho * v[i] + (1.0f - c.rho) * g * g;
                    p.value[i] -= lr * g / (std::sqrt(v[i]) + c.epsilon);
                    break;
                case OptimizerKind::adam:
                    m[i] = c.beta1 * m[i] + (1.0f - c.beta1) * g;
                    v[i] = c.beta2 * v[i] + (1.0f - c.beta2) * g * g;
                    p.value[i] -= lr * (m[i] / bias1) / (std::sqrt(v[i] / bias2) + c.epsilon);
                    break;
            }
        }
    }
    return norm;
}

}  // namespace ser::nn

namespace ser::nn {

void Optimizer::restore(State state) {
    if (state.m.size() != params_.size() || state.v.size() != params_.size())
        throw std::invalid_argument("optimizer state: holds moments of " + std::to_string(state.m.size()) +
                                    " parameters, this network has " + std::to_string(params_.size()));
    for (std::size_t k = 0; k < params_.size(); ++k)
        if (state.m[k].size() != m_[k].size() || state.v[k].size() != v_[k].size())
            throw std::invalid_argument("optimizer state: moments of parameter " + std::to_string(k) + " ('" +
                                        params_[k]->name + "') have the wrong size");
    m_ = std::move(state.m);
    v_ = std::move(state.v);
    t_ = state.steps;
}

}  // namespace ser::nn
