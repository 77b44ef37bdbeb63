#pragma once
// Cross-validation: one model trained per fold of a split plan (with a speaker-held-out
// validation set carved from the fold's training side for early stopping), scored on the
// fold's test clips, clip by clip and window by window. Calibration is measured on the test
// windows before and after a temperature fitted on the fold's own validation windows.
//
// A fold's outcome is self-contained and serialisable, so a long protocol can run fold by
// fold (in separate processes, or resumed after an interruption) and be combined into the
// same result as one run: cross_validate itself is run_fold for every fold, then
// combine_folds.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/calibration.h"
#include "training/dataset.h"
#include "training/fit.h"
#include "training/report.h"
#include "training/splits.h"

namespace ser {

struct FoldSummary {
    std::string name;
    int best_epoch = 0;
    int epochs_run = 0;
    double temperature = 1.0;
    bool label_masked = false;
    std::vector<EpochRecord> history;
};

struct Calibration {
    double ece_before = 0.0;   // test windows, temperature 1
    double ece_after = 0.0;    // test windows, each fold's fitted temperature
    double temperature_mean = 1.0;
};

struct ConditionReport {
    std::string name;          // "noise:10", ...
    EvaluationReport clips;
    double changed = 0.0;      // share of test clips whose label differs from the clean clip's
};

struct CorpusReport {
    std::string corpus;        // "nemo", ...
    EvaluationReport clips;    // that corpus's test clips only, over the folds that hold some
};

struct CrossValidationResult {
    EvaluationReport clips;    // a clip's probabilities: mean over its windows
    EvaluationReport windows;  // every analysis window on its own (same as clips for whole-clip inputs)
    std::vector<ConditionReport> conditions;  // the same test clips, degraded (clips.conditioned)
    std::vector<CorpusReport> by_corpus;      // when the test sides hold several corpora
    Calibration calibration;
    std::vector<FoldSummary> folds;
};

struct CrossValidationOptions {
    FitOptions fit;  // threads, progress, stop; a checkpoint makes a fold resumable mid-way
    // Clips added to the training side of every fold and never tested (e.g. a second
    // corpus that helps training); the plan's folds cover the other clips.
    std::vector<std::size_t> train_only;
    std::function<void(int fold, int folds, const std::string& name)> on_fold;
    // Each fold's model once trained (`ser eval --save-models`: teachers, ensembles, a look
    // inside); unset: the models are discarded.
    std::function<void(const std::string& fold, Model model, std::span<const std::size_t> train)> on_model;
};

// Everything one fold contributes to the result.
struct FoldOutcome {
    std::size_t index = 0;  // position in the plan, 0-based
    FoldSummary summary;
    ConfusionMatrix clips, windows;
    std::vector<ConfusionMatrix> conditions;                 // per test condition
    std::vector<std::int64_t> changed;                       // per condition: clips whose label moved
    std::map<std::string, ConfusionMatrix> clips_by_corpus;  // the clip confusion split by test corpus
    CalibrationBins before, after;                           // test windows, temperature 1 and fitted
};
nlohmann::json to_json(const FoldOutcome& outcome);
// Throws std::invalid_argument naming the missing or malformed field.
FoldOutcome fold_outcome_from_json(const nlohmann::json& j);

// Trains and scores fold `f` of `plan`. Throws std::runtime_error when interrupted
// (options.fit.stop), after the checkpoint, if any, is written.
FoldOutcome run_fold(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan, std::size_t f,
                     const CrossValidationOptions& options);

// The result of the folds of `plan` given (each exactly once, in any order; a subset makes
// a report of those folds). Throws std::invalid_argument for a fold outside the plan, twice,
// or of another label or condition count.
CrossValidationResult combine_folds(const SplitPlan& plan, const std::vector<std::string>& labels,
                                    const std::vector<std::string>& condition_names, std::vector<FoldOutcome> outcomes);

CrossValidationResult cross_validate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                                     const CrossValidationOptions& options);

}  // namespace ser
