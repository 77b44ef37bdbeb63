#pragma once
// Cross-validation: one model trained per fold of a split plan (with a speaker-held-out
// validation set carved from the fold's training side for early stopping), scored on the
// fold's test clips, clip by clip and window by window. Calibration is measured on the test
// windows before and after a temperature fitted on the fold's own validation windows.

#include <functional>
#include <string>
#include <vector>

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

struct CrossValidationResult {
    EvaluationReport clips;    // a clip's probabilities: mean over its windows
    EvaluationReport windows;  // every analysis window on its own (same as clips for whole-clip inputs)
    std::vector<ConditionReport> conditions;  // the same test clips, degraded (clips.conditioned)
    Calibration calibration;
    std::vector<FoldSummary> folds;
};

struct CrossValidationOptions {
    FitOptions fit;  // threads, progress, stop (checkpoints are not used per fold)
    // Clips added to the training side of every fold and never tested (e.g. a second
    // corpus that helps training); the plan's folds cover the other clips.
    std::vector<std::size_t> train_only;
    std::function<void(int fold, int folds, const std::string& name)> on_fold;
};

CrossValidationResult cross_validate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                                     const CrossValidationOptions& options);

}  // namespace ser
