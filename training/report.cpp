#include "training/report.h"

#include <stdexcept>

namespace ser {

EvaluationReport make_report(const SplitPlan& plan, std::vector<std::string> labels,
                             std::vector<ConfusionMatrix> fold_confusions) {
    if (fold_confusions.size() != plan.folds.size())
        throw std::invalid_argument("report: " + std::to_string(fold_confusions.size()) + " confusion matrices for " +
                                    std::to_string(plan.folds.size()) + " folds");
    if (labels.empty()) throw std::invalid_argument("report: no labels");
    EvaluationReport report;
    report.labels = std::move(labels);
    report.protocol = plan.protocol;
    report.description = plan.description;
    report.speakers_overlap = plan.speakers_overlap;
    report.caveat = plan.caveat;
    for (std::size_t f = 0; f < plan.folds.size(); ++f) {
        ConfusionMatrix& confusion = fold_confusions[f];
        if (confusion.classes != static_cast<int>(report.labels.size()))
            throw std::invalid_argument("report: " + plan.folds[f].name + " has " + std::to_string(confusion.classes) +
                                        " classes, the labels " + std::to_string(report.labels.size()));
        if (confusion.total() == 0) throw std::invalid_argument("report: " + plan.folds[f].name + " classified nothing");
        report.folds.push_back({plan.folds[f].name, plan.folds[f].test_speakers, std::move(confusion)});
    }
    return report;
}

ReportSummary summarize(const EvaluationReport& report) {
    if (report.folds.empty()) throw std::invalid_argument("report: no folds to summarise");
    ReportSummary summary;
    summary.pooled = ConfusionMatrix(static_cast<int>(report.labels.size()));
    std::vector<double> accuracy, uar, macro_f1;
    for (const auto& fold : report.folds) {
        summary.pooled.merge(fold.confusion);
        summary.fold_scores.push_back(score(fold.confusion));
        accuracy.push_back(summary.fold_scores.back().accuracy);
        uar.push_back(summary.fold_scores.back().uar);
        macro_f1.push_back(summary.fold_scores.back().macro_f1);
    }
    summary.pooled_scores = score(summary.pooled);
    summary.accuracy = mean_sd(accuracy);
    summary.uar = mean_sd(uar);
    summary.macro_f1 = mean_sd(macro_f1);
    return summary;
}

}  // namespace ser
