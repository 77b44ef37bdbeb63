#pragma once
// Softmax cross-entropy over a batch of logits, fused with its gradient.
//   loss = (1/N) sum_n sum_k -w_k q_nk log p_nk,   p = softmax(logits)
// q is the one-hot label, or a soft target (mixup), smoothed as (1 - e) q + e / K.
// w are the class weights (all 1 when empty).
// With `allowed` (n x classes flags), each sample's softmax, target and smoothing range over
// its allowed classes only, K being their count: the others neither take probability nor
// get a gradient. Training on corpora that each recorded a subset of the labels then never
// teaches the network that a clip is "not calm" merely because its corpus has no calm.

#include <cstdint>
#include <span>
#include <vector>

#include "nn/tensor.h"

namespace ser::nn {

struct LossConfig {
    std::vector<float> class_weights;  // empty, or one non-negative weight per class
    float label_smoothing = 0.0f;      // e in [0, 1)
    // With allowed classes: this share s of the plain loss over all classes is mixed in,
    // (1 - s) masked + s plain, so that a corpus's clips still push down, a little, the
    // labels it never recorded; 0: masked only.
    float mask_leak = 0.0f;
};

// Returns the mean loss and sets d_logits = dLoss/dlogits. Throws on out-of-range labels,
// malformed soft targets or non-finite logits (a diverged run).
// Throws too when a sample's label or target mass lies on a class it does not allow, or it
// allows none.
float softmax_cross_entropy(const Batch& logits, std::span<const int> labels, const LossConfig& cfg, Batch& d_logits,
                            std::span<const std::uint8_t> allowed = {});
float softmax_cross_entropy(const Batch& logits, std::span<const float> soft_targets, const LossConfig& cfg,
                            Batch& d_logits, std::span<const std::uint8_t> allowed = {});

}  // namespace ser::nn
