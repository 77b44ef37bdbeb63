#pragma once
// The options every data-reading command shares (--data, --threads, --cache) and the
// loading step they drive: scan the corpora, warn about what is skipped, extract features
// with a progress bar.

#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "training/dataset.h"
#include "training/training_config.h"

namespace ser::cli {

struct DataOptions {
    std::vector<std::string> data;  // CORPUS=DIR
    std::vector<std::string> train_also;  // CORPUS=DIR, training side only (ser eval)
    std::vector<std::string> conditions;  // test-side degradations (ser eval)
    bool shared_labels = false;           // keep only labels every given corpus has (ser eval)
    std::vector<std::string> keep_labels;  // keep only clips with these labels (ser eval --labels)
    int threads = 0;
    std::string cache;              // empty: the default folder
    bool no_cache = false;
};

// --data is required unless `data_required` is false (ser eval --merge reads no data).
void add_data_options(CLI::App& command, DataOptions& options, bool data_required = true);

// Scans, then extracts (or loads from the cache) the features `config` asks for: --data
// first, then --train-also. Prints unmatched and unreadable files as warnings on stderr;
// throws when nothing usable is left.
ClipSet load_data(const DataOptions& options, const TrainingConfig& config);

TrainingConfig read_training_config(const std::string& path);

// The speakers of clips.items[i] for i in `items`, sorted: what a model file records as
// `training.train_speakers`, so that `ser eval --model` leaves them out.
nlohmann::json speakers_of(const ClipSet& clips, std::span<const std::size_t> items);

}  // namespace ser::cli
