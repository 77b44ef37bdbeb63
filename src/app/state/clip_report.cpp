#include "app/state/clip_report.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace ser::app {

namespace {

nlohmann::json probabilities_json(const std::vector<std::string>& labels, const std::vector<float>& p) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) j[labels[i]] = p[i];
    return j;
}

std::size_t top_of(const std::vector<float>& p) {
    return static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
}

// A CSV field: quoted when it holds a separator, a quote or a line break.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

// Enough significant digits for a value to read back exactly: 9 for a float (the
// probabilities), 17 for a double (the times).
void append_number(std::string& out, double value, int digits = 9) {
    char text[40];
    std::snprintf(text, sizeof text, ",%.*g", digits, value);
    out += text;
}

void append_row(std::string& out, const char* scope, double start_s, double end_s, const char* speech,
                const std::string& label, const std::vector<float>& probabilities) {
    out += scope;
    append_number(out, start_s, 17);
    append_number(out, end_s, 17);
    out += ',';
    out += speech;
    out += ',';
    out += csv_field(label);
    for (float p : probabilities) append_number(out, p);
    out += "\r\n";  // RFC 4180
}

}  // namespace

std::string clip_report_json(const ClipSource& source, const StreamedClip& analysis,
                             const std::vector<std::string>& labels) {
    const ClipResult& r = analysis.result;
    nlohmann::json timeline = nlohmann::json::array();
    for (const WindowResult& w : r.windows) {
        timeline.push_back({{"start_s", w.start_s},
                            {"end_s", w.end_s},
                            {"speech", w.activity.is_speech},
                            {"probabilities", probabilities_json(labels, w.probabilities)}});
    }
    const nlohmann::json report = {
        {"file", source.file},
        {"label", labels.at(static_cast<std::size_t>(r.label))},
        {"probabilities", probabilities_json(labels, r.probabilities)},
        {"timeline", std::move(timeline)},
        {"browser",
         {{"model", source.model},
          {"labels", labels},
          {"sample_rate", source.sample_rate},
          {"seconds", analysis.seconds},
          {"analysis_ms", source.analysis_ms},
          {"exact", analysis.exact},
          {"note", analysis.note}}}};
    // File names come from the user: odd bytes must not break the whole report.
    return json_text(report, 2);
}

std::string clip_report_csv(const StreamedClip& analysis, const std::vector<std::string>& labels) {
    std::string out = "scope,start_s,end_s,speech,label";
    for (const std::string& label : labels) out += ',' + csv_field(label);
    out += "\r\n";
    const ClipResult& r = analysis.result;
    append_row(out, "clip", 0.0, analysis.seconds, "", labels.at(static_cast<std::size_t>(r.label)), r.probabilities);
    for (const WindowResult& w : r.windows) {
        append_row(out, "window", w.start_s, w.end_s, w.activity.is_speech ? "1" : "0", labels.at(top_of(w.probabilities)),
                   w.probabilities);
    }
    return out;
}

}  // namespace ser::app
