#pragma once
// Softmax cross-entropy over a batch of logits, fused with its gradient.
//   loss = (1/N) sum_n sum_k -w_k q_nk log p_nk,   p = softmax(logits)
// q is the one-hot label, or a soft target (mixup), smoothed as (1 - e) q + e / K.
// w are the class weights (all 1 when empty). With active classes given, the softmax runs
// over those only: the others get neither loss nor gradient (adapting to clips that cover
// some of the labels must not push the absent ones down).

#include <span>
#include <vector>

#include "nn/tensor.h"

namespace ser::nn {

struct LossConfig {
    std::vector<float> class_weights;  // empty, or one non-negative weight per class
    float label_smoothing = 0.0f;      // e in [0, 1)
    std::vector<bool> active_classes;  // empty: all; else one flag per class, targets only on active ones
};

// Returns the mean loss and sets d_logits = dLoss/dlogits. Throws on out-of-range labels,
// malformed soft targets or non-finite logits (a diverged run).
float softmax_cross_entropy(const Batch& logits, std::span<const int> labels, const LossConfig& cfg, Batch& d_logits);
float softmax_cross_entropy(const Batch& logits, std::span<const float> soft_targets, const LossConfig& cfg,
                            Batch& d_logits);

}  // namespace ser::nn
