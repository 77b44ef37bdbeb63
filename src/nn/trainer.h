#pragma once
// One optimisation step on a batch: forward in training mode, softmax cross-entropy,
// backward, regularisation, clipping and the optimiser update. Every layer splits its work
// over the thread pool so that each output value is computed by one thread in a fixed
// order: the weights after any number of steps are bit-identical for a given seed, whatever
// the thread count.

#include <cstdint>
#include <memory>
#include <span>

#include "nn/loss.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "nn/thread_pool.h"

namespace ser::nn {

struct TrainBatch {
    std::span<const float> inputs;        // n samples of [channels][time]
    int n = 0;
    std::span<const int> labels;          // n class indices, or...
    std::span<const float> soft_targets;  // ...n x classes target distributions (mixup)
    std::span<const std::uint8_t> allowed;  // empty, or n x classes: the classes each sample may take (loss.h)
};

struct StepResult {
    float loss = 0.0f;       // mean over the batch, before regularisation
    float grad_norm = 0.0f;  // global gradient norm before clipping
    int correct = 0;         // samples whose top allowed logit is their label (or top soft target)
};

class Trainer {
public:
    // threads: including the caller; 0 uses every core. WebAssembly always runs one.
    Trainer(Network& net, OptimizerConfig optimizer, LossConfig loss, int threads, std::uint64_t seed);

    StepResult step(const TrainBatch& batch, float learning_rate);
    // Logits in inference mode (validation), on the same pool.
    const Batch& evaluate(std::span<const float> inputs, int n);

    ThreadPool& pool() { return pool_; }
    Optimizer& optimizer() { return optimizer_; }
    // Steps taken: they seed dropout, so a resumed run restores them with its checkpoint.
    std::uint64_t steps() const { return steps_; }
    void restore_steps(std::uint64_t steps) { steps_ = steps; }

private:
    Network& net_;
    ThreadPool pool_;
    Optimizer optimizer_;
    LossConfig loss_;
    std::uint64_t seed_;
    std::uint64_t steps_ = 0;
    Batch d_logits_;
};

}  // namespace ser::nn
