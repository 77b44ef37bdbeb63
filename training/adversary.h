#pragma once
// Domain-adversarial training as a run sets it up from `training.adversary`: which domain
// (corpus or speaker) each training clip belongs to, the head that tries to tell them apart,
// and how strongly it pushes the network at each point of the run. The
// mechanics of a step are the engine's (nn/trainer.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "nn/trainer.h"
#include "training/dataset.h"
#include "training/training_config.h"

namespace ser {

// Per item of `clips`: its domain index among the training side's corpora or speakers (in
// name order), -1 for items not in `train`. Throws std::invalid_argument when the training
// side has fewer than two domains (nothing to tell apart), or, for corpora, when they
// recorded different label sets (hiding the corpus would hide a label only some have).
std::vector<int> adversary_domains(const TrainingConfig::Adversary& config, const ClipSet& clips,
                                   std::span<const std::size_t> train, int& domains);

// A dense-ReLU-dense head over the output of the network's first global pooling layer,
// initialised from `seed`. Throws std::invalid_argument when the network pools nowhere.
nn::Adversary make_adversary(const TrainingConfig::Adversary& config, const nn::Network& network, int domains,
                             std::uint64_t seed);

// The push's scale at `progress` (0 at the start of the run, 1 at its end):
// weight * (2 / (1 + e^(-10 progress)) - 1), zero at first so that the adversary learns
// before it pushes, and near `weight` from a third of the run on.
float adversary_weight(const TrainingConfig::Adversary& config, double progress);

}  // namespace ser
