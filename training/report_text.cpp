#include <algorithm>
#include <cstdio>

#include "training/report.h"

namespace ser {

namespace {

std::string fixed(double value, int decimals = 3) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string plus_minus(const MeanSd& value) { return fixed(value.mean) + " ± " + fixed(value.sd); }

// Display width in columns: UTF-8 continuation bytes take none (for "±").
std::size_t width_of(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// Columns padded to their widest cell: numbers right-aligned, the first column and
// `left_last` (a trailing text column) left-aligned.
std::string table(const std::vector<std::vector<std::string>>& rows, bool left_last = false) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width_of(row[c]));
    }
    std::string text;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string padding(widths[c] - width_of(row[c]), ' ');
            if (c > 0) line += "  ";
            const bool left = c == 0 || (left_last && c + 1 == row.size());
            line += left ? row[c] + padding : padding + row[c];
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        text += "  " + line + "\n";
    }
    return text;
}

std::string speakers_text(const std::vector<std::string>& speakers) {
    constexpr std::size_t shown = 6;
    std::string text;
    for (std::size_t i = 0; i < std::min(shown, speakers.size()); ++i) text += (i ? " " : "") + speakers[i];
    if (speakers.size() > shown) text += " … (+" + std::to_string(speakers.size() - shown) + ")";
    return text;
}

}  // namespace

std::string report_text(const EvaluationReport& report) {
    const ReportSummary summary = summarize(report);
    std::string text = "Evaluation: " + report.description + " (protocol: " + report.protocol + ")\n";
    if (!report.caveat.empty())
        text += "WARNING: " + report.caveat + " — this number is not speaker-independent\n";

    text += "\nSummary over " + std::to_string(report.folds.size()) + " fold" + (report.folds.size() == 1 ? "" : "s") +
            " (mean ± sd)\n";
    text += table({{"", "accuracy", "UAR", "macro F1"},
                   {"mean ± sd", plus_minus(summary.accuracy), plus_minus(summary.uar), plus_minus(summary.macro_f1)},
                   {"pooled", fixed(summary.pooled_scores.accuracy), fixed(summary.pooled_scores.uar),
                    fixed(summary.pooled_scores.macro_f1)}});

    std::vector<std::vector<std::string>> folds = {{"fold", "n", "accuracy", "UAR", "test speakers"}};
    for (std::size_t f = 0; f < report.folds.size(); ++f)
        folds.push_back({report.folds[f].name, std::to_string(report.folds[f].confusion.total()),
                         fixed(summary.fold_scores[f].accuracy), fixed(summary.fold_scores[f].uar),
                         speakers_text(report.folds[f].test_speakers)});
    text += "\nFolds\n" + table(folds, true);

    std::vector<std::vector<std::string>> classes = {{"class", "precision", "recall", "F1", "support"}};
    for (std::size_t c = 0; c < report.labels.size(); ++c) {
        const ClassScores& s = summary.pooled_scores.per_class[c];
        classes.push_back({report.labels[c], fixed(s.precision), fixed(s.recall), fixed(s.f1), std::to_string(s.support)});
    }
    text += "\nPer class (pooled over folds)\n" + table(classes);

    std::vector<std::vector<std::string>> confusion = {{"true \\ predicted"}};
    for (const auto& label : report.labels) confusion[0].push_back(label);
    for (std::size_t t = 0; t < report.labels.size(); ++t) {
        confusion.push_back({report.labels[t]});
        for (std::size_t p = 0; p < report.labels.size(); ++p)
            confusion.back().push_back(std::to_string(summary.pooled.at(static_cast<int>(t), static_cast<int>(p))));
    }
    text += "\nConfusion matrix (pooled; rows: true, columns: predicted)\n" + table(confusion);
    if (!report.caveat.empty()) text += "\nWARNING: " + report.caveat + "\n";
    return text;
}

}  // namespace ser
