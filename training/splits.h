#pragma once
// Evaluation protocols as train/test index sets over a list of corpus items. Speaker folds
// keep every speaker on one side; only the random split lets them overlap, and it says so.
// No protocol puts two copies of one recording (CorpusItem::duplicate_group) on opposite
// sides: a training clip that duplicates a test clip leaves the training side.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "training/corpus.h"

namespace ser {

// Printed beside every number a random split produces.
inline constexpr std::string_view random_split_caveat = "random split, speakers overlap";

struct Fold {
    std::string name;                        // "fold 1", "ravdess:07", "tess", "random 80/20"
    std::vector<std::size_t> train;          // indices into the items, ascending
    std::vector<std::size_t> test;
    std::vector<std::string> test_speakers;  // sorted
};

struct SplitPlan {
    std::string protocol;     // "speaker", "loso", "corpus" or "random"
    std::string description;  // e.g. "6 gender-balanced speaker folds"
    bool speakers_overlap = false;
    std::string caveat;       // random_split_caveat when speakers overlap, else empty
    std::vector<Fold> folds;
};

// `folds` folds of whole speakers, balanced by corpus and gender: the speakers of each
// corpus and gender, in id order, are cut into consecutive runs, one run per fold, the
// larger runs going to the folds that have fewest speakers so far. On RAVDESS with 6 folds this gives actors 01-04,
// 05-08, ..., 21-24 (two male and two female actors each). Throws std::invalid_argument if
// there are fewer speakers than folds or fewer than 2 folds.
SplitPlan speaker_folds(std::span<const CorpusItem> items, int folds);

// One fold per speaker (TESS: train on one talker, test on the other).
SplitPlan leave_one_speaker_out(std::span<const CorpusItem> items);

// One fold per corpus; needs at least two corpora.
SplitPlan leave_one_corpus_out(std::span<const CorpusItem> items);

// The popular notebooks' split: a seeded random `test_fraction` of each label's files goes
// to the test side. Labelled with random_split_caveat.
SplitPlan random_split(std::span<const CorpusItem> items, double test_fraction, std::uint64_t seed);

// `train` without the items that are the same recording as an item of `held_out`, in order.
std::vector<std::size_t> without_duplicates_of(std::span<const CorpusItem> items, std::span<const std::size_t> train,
                                               std::span<const std::size_t> held_out);

// The CLI's --folds: "speaker" (speaker_folds with min(6, speakers) folds), "loso",
// "corpus", "random" (80/20 with `seed`). Throws std::invalid_argument for another name.
SplitPlan make_split(std::string_view protocol, std::span<const CorpusItem> items, std::uint64_t seed);

// Labels present in every corpus of `items`, in canonical order: the label set on which
// cross-corpus results are comparable.
std::vector<std::string> labels_shared_by_corpora(std::span<const CorpusItem> items);

}  // namespace ser
