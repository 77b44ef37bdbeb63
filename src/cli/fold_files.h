#pragma once
// Cross-validation in pieces: `ser eval --fold K --out f.json` writes one fold's result,
// `--resume DIR` keeps each finished fold in DIR, and `--merge a.json b.json ...` combines
// them. Every fold file carries the run's header (protocol, folds, labels, conditions,
// config and a digest of the data), so folds of different runs are never merged.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/cross_validation.h"

namespace ser::cli {

// What identifies a run and its plan: two fold files may be merged when these are equal.
nlohmann::json run_header(const SplitPlan& plan, const TrainingConfig& config, const ClipSet& clips,
                          std::size_t train_only_files);

// The plan's protocol fields and folds (names and test speakers; no item indices).
SplitPlan plan_from_header(const nlohmann::json& header);

struct FoldDocument {
    nlohmann::json run;             // run_header
    std::vector<FoldOutcome> folds;
};

nlohmann::json to_json(const FoldDocument& document);

// Throws std::runtime_error naming the file when it is not a fold file.
FoldDocument read_fold_document(const std::filesystem::path& path);

// The folds of every file, checked to come from the same run (same header) and to hold no
// fold twice. Throws std::runtime_error naming the file that differs.
FoldDocument merge_fold_documents(const std::vector<std::filesystem::path>& paths);

// Fold `index` (0-based) of `protocol` in a --resume folder.
std::filesystem::path resume_file(const std::filesystem::path& dir, const std::string& protocol, std::size_t index);

}  // namespace ser::cli
