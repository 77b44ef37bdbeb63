#pragma once
// The validation set for early stopping, carved from a fold's training side. Whole
// speakers are held out when the training side has more than one, so validation measures
// what the test measures: new voices.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "training/corpus.h"

namespace ser {

struct ValidationSplit {
    std::vector<std::size_t> train;       // ascending item indices
    std::vector<std::size_t> validation;  // ascending item indices
    bool speaker_held_out = false;        // false: a stratified random file split (one speaker only)
    std::vector<std::string> validation_speakers;
};

// Holds out about `fraction` (0 < fraction < 1) of the files of `train_side`: seeded
// shuffles of the speakers of each gender are taken in turn, alternating genders, until
// the fraction is reached (at least one speaker, never all). With a single speaker it falls
// back to a stratified random split of that speaker's files.
ValidationSplit validation_split(std::span<const CorpusItem> items, std::span<const std::size_t> train_side,
                                 double fraction, std::uint64_t seed);

}  // namespace ser
