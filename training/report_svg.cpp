#include <algorithm>
#include <cmath>
#include <cstdio>

#include "training/report.h"

namespace ser {

namespace {

std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

// White to dark blue; share in [0, 1].
std::string shade(double share) {
    const double t = std::clamp(share, 0.0, 1.0);
    const auto channel = [t](int from, int to) { return static_cast<int>(std::lround(from + (to - from) * t)); };
    char text[16];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", channel(255, 8), channel(255, 48), channel(255, 107));
    return text;
}

}  // namespace

std::string confusion_svg(const EvaluationReport& report) {
    const ReportSummary summary = summarize(report);
    const int n = static_cast<int>(report.labels.size());
    std::size_t longest = 0;
    for (const auto& label : report.labels) longest = std::max(longest, label.size());
    const double cell = 58.0;
    const double char_width = 8.0;  // of the 13 px sans-serif labels
    const double left = 40.0 + char_width * static_cast<double>(longest);
    const double top = 110.0 + 0.75 * char_width * static_cast<double>(longest);
    const double width = std::max(left + cell * n + 30.0, 520.0);
    const double height = top + cell * n + 50.0;

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width) + "\" height=\"" + number(height) +
                      "\" viewBox=\"0 0 " + number(width) + " " + number(height) +
                      "\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n";
    svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    char line[256];
    std::snprintf(line, sizeof line, "accuracy %.3f ± %.3f, UAR %.3f ± %.3f over %zu fold%s", summary.accuracy.mean,
                  summary.accuracy.sd, summary.uar.mean, summary.uar.sd, report.folds.size(),
                  report.folds.size() == 1 ? "" : "s");
    svg += "<text x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"bold\">Confusion matrix: " + escaped(report.description) +
           "</text>\n";
    svg += "<text x=\"16\" y=\"46\" font-size=\"13\">" + escaped(line) + "</text>\n";
    if (!report.caveat.empty())
        svg += "<text x=\"16\" y=\"66\" font-size=\"13\" font-weight=\"bold\" fill=\"#b00020\">" + escaped(report.caveat) +
               "</text>\n";

    for (int p = 0; p < n; ++p) {
        const double x = left + cell * (p + 0.5);
        svg += "<text transform=\"translate(" + number(x) + " " + number(top - 8) +
               ") rotate(-45)\" font-size=\"13\">" + escaped(report.labels[static_cast<std::size_t>(p)]) + "</text>\n";
    }
    svg += "<text x=\"" + number(left + cell * n / 2.0) + "\" y=\"" + number(top + cell * n + 30) +
           "\" font-size=\"13\" text-anchor=\"middle\">predicted</text>\n";
    svg += "<text transform=\"translate(16 " + number(top + cell * n / 2.0) +
           ") rotate(-90)\" font-size=\"13\" text-anchor=\"middle\">true</text>\n";

    for (int t = 0; t < n; ++t) {
        std::int64_t row_total = 0;
        for (int p = 0; p < n; ++p) row_total += summary.pooled.at(t, p);
        const double y = top + cell * t;
        svg += "<text x=\"" + number(left - 8) + "\" y=\"" + number(y + cell / 2 + 5) +
               "\" font-size=\"13\" text-anchor=\"end\">" + escaped(report.labels[static_cast<std::size_t>(t)]) + "</text>\n";
        for (int p = 0; p < n; ++p) {
            const std::int64_t count = summary.pooled.at(t, p);
            const double share = row_total > 0 ? static_cast<double>(count) / static_cast<double>(row_total) : 0.0;
            const double x = left + cell * p;
            svg += "<rect x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(cell) + "\" height=\"" +
                   number(cell) + "\" fill=\"" + shade(share) + "\" stroke=\"#d0d0d0\"><title>" +
                   escaped(report.labels[static_cast<std::size_t>(t)]) + " as " +
                   escaped(report.labels[static_cast<std::size_t>(p)]) + ": " + std::to_string(count) + " (" +
                   number(100.0 * share) + "% of the row)</title></rect>\n";
            svg += "<text x=\"" + number(x + cell / 2) + "\" y=\"" + number(y + cell / 2 + 5) +
                   "\" font-size=\"14\" text-anchor=\"middle\" fill=\"" + (share > 0.5 ? "#ffffff" : "#000000") + "\">" +
                   std::to_string(count) + "</text>\n";
        }
    }
    svg += "</svg>\n";
    return svg;
}

}  // namespace ser
