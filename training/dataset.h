#pragma once
// The clips a run trains and evaluates on: corpus items with their features, clean and
// augmented, computed on all cores and kept in the feature cache.
//
// Augmented copies are made per item, but a run only ever reads them for items on the
// training side of its split: test clips are always the clean ones.

#include <filesystem>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "features/feature_matrix.h"
#include "training/corpus.h"
#include "training/parallel_map.h"
#include "training/training_config.h"

namespace ser {

struct DataSource {
    Corpus corpus = Corpus::ravdess;
    std::filesystem::path dir;
};

// "ravdess=DIR" as given to --data. Throws std::invalid_argument with the accepted form.
DataSource parse_data_source(const std::string& text);

struct ScannedData {
    std::vector<CorpusItem> items;      // every source, in the order given
    std::vector<SkippedFile> unmatched; // names that fit no convention: listed, not guessed
};

// Throws std::runtime_error when a folder is missing, empty, or holds nothing of its corpus.
ScannedData scan_sources(const std::vector<DataSource>& sources, const LabelOptions& labels);

// A degradation the test side is measured under (added noise, reverberation): the clip's
// audio is degraded deterministically before its features are computed.
struct TestCondition {
    std::string name;  // "noise:10", "reverb:0.6"
    AugmentationConfig degrade;
};

// "noise:SNR_DB" (pink noise at that SNR), "white:SNR_DB", "reverb:RT60_S" (a synthetic
// room, direct-to-reverberant ratio 0 dB), "gain:DB", "pad:SECONDS" (digital silence before
// and after), "phone:RATE_HZ" (telephone band through that rate) or "opus:KBPS" (codec round
// trip). Throws std::invalid_argument with the forms.
inline constexpr std::string_view condition_forms =
    "noise:SNR_DB, white:SNR_DB, reverb:RT60_S, gain:DB, pad:SECONDS, phone:RATE_HZ, opus:KBPS";
TestCondition parse_test_condition(const std::string& text);

// An item's augmentation stream depends on what the clip is, not on where it sits in this
// run's list, so adding a corpus does not change the other corpora's augmented copies.
std::uint64_t item_identity(const CorpusItem& item);
// The seed of test condition number `condition` applied to `item`.
std::uint64_t condition_seed(std::uint64_t run_seed, std::size_t condition, const CorpusItem& item);

struct ClipSet {
    std::vector<CorpusItem> items;
    std::vector<std::string> labels;                 // present in the items, canonical order
    std::vector<int> label;                          // per item, index into labels
    std::vector<std::vector<FeatureMatrix>> variants;  // per item: [0] clean, then augmented
    // Per item, the clean clip framed by the config's input.edge_s of silence, as the
    // analyser sees it; empty without an edge (then it is variants[i][0]).
    std::vector<FeatureMatrix> edged;
    std::vector<std::string> condition_names;
    std::vector<std::vector<FeatureMatrix>> conditioned;  // per condition, per item
    std::vector<SkippedFile> unreadable;             // could not be decoded: left out, counted
    std::size_t evaluated = 0;  // items [0, evaluated) are split into folds; the rest only ever train
};

// The features a clip is scored on, clean: as the analyser sees it (with its edges).
const FeatureMatrix& analysed_clip(const ClipSet& clips, std::size_t item);

// Per corpus in `clips`: which of clips.labels its clips have (1) and which it never recorded (0).
std::map<Corpus, std::vector<std::uint8_t>> corpus_label_sets(const ClipSet& clips);

struct DatasetOptions {
    int threads = 0;                    // 0: every core
    std::filesystem::path cache_dir;    // empty: no cache
    std::function<void(const ProgressCounts&)> on_progress;
    std::vector<TestCondition> conditions;
};

// Decodes, resamples, augments and extracts features for every item, and marks the items
// that are the same recording (CorpusItem::duplicate_group, from a fingerprint of the audio
// kept in the cache beside the features). Unreadable files are dropped into `unreadable`,
// never fatal; fewer than two labels left is an error.
// The first `evaluated` items (all by default) are the ones evaluation splits into folds;
// those after them are extra training data.
ClipSet load_clip_set(std::vector<CorpusItem> items, const TrainingConfig& config, const DatasetOptions& options,
                      std::size_t evaluated = SIZE_MAX);

}  // namespace ser
