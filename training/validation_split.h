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

// Holds out about `fraction` (0 < fraction < 1) of the speakers of `train_side` (at least
// one, never all): seeded shuffles of the speakers of each gender, taken in turn. Only
// speakers holding at most `fraction` of the files are eligible, so a corpus of a few
// talkers with many files each (TESS) stays on the training side beside one of many actors.
// With a single speaker, or none eligible, it falls back to a stratified random split of
// the files, `fraction` of each label. A training clip that is the same recording as a
// validation clip leaves the training side.
ValidationSplit validation_split(std::span<const CorpusItem> items, std::span<const std::size_t> train_side,
                                 double fraction, std::uint64_t seed);

}  // namespace ser
