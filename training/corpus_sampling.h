#pragma once
// Corpus-balanced epochs: one big corpus (nEMO's 4481 clips beside RAVDESS's 1440) should
// not drown the others. Each corpus c gets a share of the epoch proportional to n_c^power
// (power 1: as drawn naturally; 0: equal shares), the epoch keeping its length.

#include <span>
#include <vector>

#include "nn/rng.h"
#include "training/corpus.h"

namespace ser {

// How many of `total` draws each corpus gets: total * n_c^power / sum_d n_d^power, rounded
// by largest remainder (ties to the corpus listed first), so they sum to `total` exactly.
std::vector<std::size_t> corpus_quotas(std::span<const std::size_t> corpus_sizes, double power, std::size_t total);

// One epoch's order over `train` (indices into `items`), as many entries as `train`: each
// corpus's quota of its clips, drawn without replacement from a shuffled list (reshuffled
// and drawn again when the quota exceeds the corpus), then all shuffled together. Every
// draw comes from `rng`, so (seed, epoch) fixes the epoch.
std::vector<std::size_t> corpus_balanced_order(std::span<const CorpusItem> items, std::span<const std::size_t> train,
                                               double power, nn::Rng& rng);

}  // namespace ser
