#include "nn/trainer.h"

#include <algorithm>
#include <stdexcept>

#include "nn/layers.h"
#include "nn/rng.h"

namespace ser::nn {

namespace {

int count_correct(const Batch& logits, const TrainBatch& batch) {
    const auto classes = static_cast<std::size_t>(logits.shape.channels);
    int correct = 0;
    for (int n = 0; n < batch.n; ++n) {
        const float* z = logits.sample(n);
        std::size_t predicted = 0;
        for (std::size_t c = 1; c < classes; ++c) {
            const bool allowed = batch.allowed.empty() || batch.allowed[static_cast<std::size_t>(n) * classes + c];
            const bool best_allowed = batch.allowed.empty() || batch.allowed[static_cast<std::size_t>(n) * classes + predicted];
            if (allowed && (!best_allowed || z[c] > z[predicted])) predicted = c;
        }
        std::size_t truth = 0;
        if (batch.labels.empty()) {
            const float* q = batch.soft_targets.data() + static_cast<std::size_t>(n) * classes;
            truth = argmax(std::span<const float>(q, static_cast<std::size_t>(classes)));
        } else {
            truth = static_cast<std::size_t>(batch.labels[static_cast<std::size_t>(n)]);
        }
        correct += predicted == truth;
    }
    return correct;
}

}  // namespace

Trainer::Trainer(Network& net, OptimizerConfig optimizer, LossConfig loss, int threads, std::uint64_t seed)
    : net_(net), pool_(threads), optimizer_(optimizer, net.parameters()), loss_(std::move(loss)), seed_(seed) {}

StepResult Trainer::step(const TrainBatch& batch, float learning_rate) {
    if (batch.labels.empty() == batch.soft_targets.empty())
        throw std::invalid_argument("train step: give either labels or soft targets");
    Context ctx{Mode::training, &pool_, mix64(seed_ ^ mix64(++steps_))};
    const Batch& logits = net_.forward(batch.inputs, batch.n, ctx);
    StepResult r;
    r.loss = batch.labels.empty() ? softmax_cross_entropy(logits, batch.soft_targets, loss_, d_logits_, batch.allowed)
                                  : softmax_cross_entropy(logits, batch.labels, loss_, d_logits_, batch.allowed);
    r.correct = count_correct(logits, batch);
    net_.backward(d_logits_, ctx);
    r.grad_norm = optimizer_.step(learning_rate);
    return r;
}

const Batch& Trainer::evaluate(std::span<const float> inputs, int n) {
    return net_.forward(inputs, n, Context{Mode::inference, &pool_, 0});
}

}  // namespace ser::nn
