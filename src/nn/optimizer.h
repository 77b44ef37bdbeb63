#pragma once
// Optimisers (SGD with momentum, RMSprop, Adam), L1/L2 regularisation and gradient clipping
// by global norm. Update rules follow PyTorch's, so settings carry over from there.

#include <string>
#include <vector>

#include "nn/tensor.h"

namespace ser::nn {

enum class OptimizerKind { sgd, rmsprop, adam };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::adam;
    float momentum = 0.9f;  // sgd (0 = plain SGD)
    bool nesterov = false;  // sgd
    float rho = 0.9f;       // rmsprop: decay of the squared-gradient average
    float beta1 = 0.9f, beta2 = 0.999f;  // adam
    float epsilon = 1e-7f;  // adam, rmsprop
    float l1 = 0.0f, l2 = 0.0f;  // added to the loss for regularised parameters (kernels)
    float clip_norm = 0.0f;      // clip the global gradient norm to this (0: off)
};

// Scales all gradients so their global L2 norm is at most max_norm; returns the norm before.
float clip_gradient_norm(const std::vector<Param*>& params, float max_norm);

class Optimizer {
public:
    Optimizer(OptimizerConfig config, std::vector<Param*> params);

    // Adds the L1/L2 terms to the gradients, clips, and updates every parameter with the
    // given learning rate. Returns the global gradient norm before clipping.
    float step(float learning_rate);
    const OptimizerConfig& config() const { return config_; }
    long long steps() const { return t_; }

    // The moments and step count, for checkpoints. restore() throws std::invalid_argument
    // when the state does not fit these parameters.
    struct State {
        long long steps = 0;
        std::vector<std::vector<float>> m, v;  // per parameter
    };
    State state() const { return {t_, m_, v_}; }
    void restore(State state);

private:
    OptimizerConfig config_;
    std::vector<Param*> params_;
    std::vector<std::vector<float>> m_, v_;  // first and second moments (or momentum buffer)
    long long t_ = 0;
};

}  // namespace ser::nn
