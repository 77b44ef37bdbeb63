#include "training/report.h"

namespace ser {

namespace {

nlohmann::json matrix_json(const ConfusionMatrix& confusion) {
    nlohmann::json rows = nlohmann::json::array();
    for (int t = 0; t < confusion.classes; ++t) {
        nlohmann::json row = nlohmann::json::array();
        for (int p = 0; p < confusion.classes; ++p) row.push_back(confusion.at(t, p));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

nlohmann::json report_json(const EvaluationReport& report) {
    const ReportSummary summary = summarize(report);
    nlohmann::json per_class = nlohmann::json::object();
    for (std::size_t c = 0; c < report.labels.size(); ++c) {
        const ClassScores& s = summary.pooled_scores.per_class[c];
        per_class[report.labels[c]] = {{"precision", s.precision}, {"recall", s.recall}, {"f1", s.f1}, {"support", s.support}};
    }
    nlohmann::json folds = nlohmann::json::array();
    for (std::size_t f = 0; f < report.folds.size(); ++f) {
        const FoldResult& fold = report.folds[f];
        const ClassificationScores& s = summary.fold_scores[f];
        folds.push_back({{"name", fold.name},
                         {"test_speakers", fold.test_speakers},
                         {"n", fold.confusion.total()},
                         {"accuracy", s.accuracy},
                         {"uar", s.uar},
                         {"macro_f1", s.macro_f1},
                         {"confusion", matrix_json(fold.confusion)}});
    }
    return {{"labels", report.labels},
            {"accuracy", summary.accuracy.mean},
            {"accuracy_sd", summary.accuracy.sd},
            {"uar", summary.uar.mean},
            {"uar_sd", summary.uar.sd},
            {"macro_f1", summary.macro_f1.mean},
            {"macro_f1_sd", summary.macro_f1.sd},
            {"per_class", per_class},
            {"confusion", matrix_json(summary.pooled)},
            {"pooled", {{"accuracy", summary.pooled_scores.accuracy}, {"uar", summary.pooled_scores.uar}}},
            {"folds", folds},
            {"protocol", report.protocol},
            {"protocol_description", report.description},
            {"speakers_overlap", report.speakers_overlap},
            {"caveat", report.caveat.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.caveat)}};
}

}  // namespace ser
