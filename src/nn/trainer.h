#pragma once
// One optimisation step on a batch: forward in training mode, softmax cross-entropy,
// backward, regularisation, clipping and the optimiser update. Every layer splits its work
// over the thread pool so that each output value is computed by one thread in a fixed
// order: the weights after any number of steps are bit-identical for a given seed, whatever
// the thread count.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

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
    std::span<const int> domains;           // n domain indices for the adversary, or empty
};

struct StepResult {
    float loss = 0.0f;       // mean over the batch, before regularisation
    float grad_norm = 0.0f;  // global gradient norm before clipping
    int correct = 0;         // samples whose top allowed logit is their label (or top soft target)
    float adversary_loss = 0.0f;  // the adversary's cross-entropy on the batch's domains
};

// Domain-adversarial training: a small head reads the output of one layer of the trained
// network (a pooled embedding, [channels][1]) and learns to tell the batch's domains (its
// corpora, say) apart, while the layers below are pushed, with the step's weight, towards
// features on which the head's answer is uniform over the domains (domain confusion). That
// objective is bounded where a plain reversed gradient is not: maximising the head's loss
// can be won by making the head confidently wrong, and the domain stays readable. The head
// is discarded after training: inference never sees it.
struct Adversary {
    Network head;            // logits over the domains; no softmax
    std::size_t layer = 0;   // index of the layer whose output the head reads
};

class Trainer {
public:
    // threads: including the caller; 0 uses every core. WebAssembly always runs one.
    Trainer(Network& net, OptimizerConfig optimizer, LossConfig loss, int threads, std::uint64_t seed);

    // The adversary trains with its own optimiser (the same settings) on every step whose
    // batch has domains; adversary_weight scales its push on the network (0: the head still
    // learns, the network is not pushed).
    void attach_adversary(Adversary adversary);
    StepResult step(const TrainBatch& batch, float learning_rate, float adversary_weight = 0.0f);
    // Logits in inference mode (validation), on the same pool.
    const Batch& evaluate(std::span<const float> inputs, int n);

    ThreadPool& pool() { return pool_; }
    Optimizer& optimizer() { return optimizer_; }
    Adversary* adversary() { return adversary_ ? &*adversary_ : nullptr; }
    Optimizer* adversary_optimizer() { return adversary_optimizer_ ? &*adversary_optimizer_ : nullptr; }
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
    std::optional<Adversary> adversary_;
    std::optional<Optimizer> adversary_optimizer_;
    Batch d_domains_, confusion_;
    std::vector<float> uniform_;

    void adversary_step(const TrainBatch& batch, float learning_rate, float weight, const Context& ctx, StepResult& r);
};

}  // namespace ser::nn
