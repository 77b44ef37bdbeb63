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

// Which domain (corpus or speaker, in name order) each training clip belongs to, and what
// the network pushes the head's answer towards for each label.
struct AdversaryDomains {
    int count = 0;
    std::vector<int> of_item;      // per item of `clips`: its domain index; -1 for items not in `train`
    // labels x count: for a clip of label y, uniform over the domains whose training clips
    // include y. Where one corpus alone recorded a label (RAVDESS's calm), its clips are not
    // pushed to look like another corpus's: hiding the corpus there would hide the label
    // (measured: calm's recall fell to 0.0 with a uniform target, docs/MODEL_EXPERIMENTS.md).
    // Corpora that share their labels get the uniform target over all of them.
    std::vector<float> confusion;
    std::span<const float> target_of(int label) const {
        return std::span<const float>(confusion).subspan(static_cast<std::size_t>(label) * count, count);
    }
};

// Throws std::invalid_argument when the training side has fewer than two domains (nothing
// to tell apart).
AdversaryDomains adversary_domains(const TrainingConfig::Adversary& config, const ClipSet& clips,
                                   std::span<const std::size_t> train);

// A dense-ReLU-dense head over the output of the network's first global pooling layer,
// initialised from `seed`. Throws std::invalid_argument when the network pools nowhere.
nn::Adversary make_adversary(const TrainingConfig::Adversary& config, const nn::Network& network, int domains,
                             std::uint64_t seed);

// The push's scale at `progress` (0 at the start of the run, 1 at its end):
// weight * (2 / (1 + e^(-10 progress)) - 1), zero at first so that the adversary learns
// before it pushes, and near `weight` from a third of the run on.
float adversary_weight(const TrainingConfig::Adversary& config, double progress);

}  // namespace ser
