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

StepResult Trainer::step(const TrainBatch& batch, float learning_rate, float adversary_weight) {
    if (batch.labels.empty() == batch.soft_targets.empty())
        throw std::invalid_argument("train step: give either labels or soft targets");
    Context ctx{Mode::training, &pool_, mix64(seed_ ^ mix64(++steps_))};
    const Batch& logits = net_.forward(batch.inputs, batch.n, ctx);
    StepResult r;
    r.loss = batch.labels.empty() ? softmax_cross_entropy(logits, batch.soft_targets, loss_, d_logits_, batch.allowed)
                                  : softmax_cross_entropy(logits, batch.labels, loss_, d_logits_, batch.allowed);
    r.correct = count_correct(logits, batch);
    if (adversary_ && !batch.domains.empty()) {
        adversary_step(batch, learning_rate, adversary_weight, ctx, r);
    } else {
        net_.backward(d_logits_, ctx);
    }
    r.grad_norm = optimizer_.step(learning_rate);
    return r;
}

void Trainer::attach_adversary(Adversary adversary) {
    adversary_.emplace(std::move(adversary));
    adversary_optimizer_.emplace(optimizer_.config(), adversary_->head.parameters());
}

void Trainer::adversary_step(const TrainBatch& batch, float learning_rate, float weight, const Context& ctx,
                             StepResult& r) {
    const Batch& embedding = net_.output_of(adversary_->layer);
    if (embedding.shape.time != 1 || static_cast<int>(batch.domains.size()) != batch.n)
        throw std::invalid_argument("adversary: it reads a pooled layer output ([channels][1]) and needs one domain per sample");
    Network& head = adversary_->head;
    const Batch& domain_logits = head.forward(embedding.data, embedding.n, ctx);
    // The network's push: towards the head's answer being uniform over the domains.
    uniform_.assign(domain_logits.data.size(), 1.0f / static_cast<float>(domain_logits.shape.channels));
    softmax_cross_entropy(domain_logits, uniform_, LossConfig{}, d_domains_);
    head.backward(d_domains_, ctx, nullptr, true);
    const Batch& d_embedding = head.input_gradient();
    confusion_.resize(embedding.n, embedding.shape);
    for (std::size_t k = 0; k < confusion_.data.size(); ++k) confusion_.data[k] = weight * d_embedding.data[k];
    // The head's own lesson: the true domains (its gradients from this pass are the ones kept).
    r.adversary_loss = softmax_cross_entropy(domain_logits, batch.domains, LossConfig{}, d_domains_);
    head.backward(d_domains_, ctx);
    const Network::GradientTap tap{adversary_->layer, &confusion_};
    net_.backward(d_logits_, ctx, &tap);
    adversary_optimizer_->step(learning_rate);
}

}  // namespace ser::nn
