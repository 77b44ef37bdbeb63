#pragma once
// An evaluation's results (one confusion matrix per fold) and the three ways they are
// shown: an aligned text table, JSON in `ser eval --format json`'s shape, and an SVG picture
// of the confusion matrix. A random split's caveat appears in all three.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/metrics.h"
#include "training/splits.h"

namespace ser {

struct FoldResult {
    std::string name;
    std::vector<std::string> test_speakers;
    ConfusionMatrix confusion;
};

struct EvaluationReport {
    std::vector<std::string> labels;
    std::string protocol;     // "speaker", "loso", "corpus", "random"
    std::string description;  // e.g. "6 gender-balanced speaker folds"
    bool speakers_overlap = false;
    std::string caveat;       // random_split_caveat when speakers overlap
    std::vector<FoldResult> folds;
};

// Pairs a split plan with one confusion matrix per fold (over `labels`). Throws
// std::invalid_argument when the counts or class counts do not match or a fold is empty.
EvaluationReport make_report(const SplitPlan& plan, std::vector<std::string> labels,
                             std::vector<ConfusionMatrix> fold_confusions);

struct ReportSummary {
    ConfusionMatrix pooled;                     // sum over folds
    ClassificationScores pooled_scores;         // per-class numbers come from here
    std::vector<ClassificationScores> fold_scores;
    MeanSd accuracy, uar, macro_f1;             // over folds
};

ReportSummary summarize(const EvaluationReport& report);

std::string report_text(const EvaluationReport& report);

// {"labels", "accuracy", "uar", "per_class": {label: {precision, recall, f1, support}},
//  "confusion", "folds": [...], plus the protocol fields; see docs/EVALUATION.md.
nlohmann::json report_json(const EvaluationReport& report);

// A self-contained SVG: cells coloured by row-normalised share, counts in the cells.
std::string confusion_svg(const EvaluationReport& report);

}  // namespace ser
