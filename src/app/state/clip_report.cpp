#include "app/state/clip_report.h"

#include <nlohmann/json.hpp>

#include "analysis/result_json.h"
#include "model/json_text.h"

namespace ser::app {

std::string clip_report_json(const ClipSource& source, const StreamedClip& analysis,
                             const std::vector<std::string>& labels) {
    nlohmann::json report = clip_result_json(source.file, analysis.result, labels, true);
    report["browser"] = {{"model", source.model},
                         {"labels", labels},
                         {"sample_rate", source.sample_rate},
                         {"seconds", analysis.seconds},
                         {"analysis_ms", source.analysis_ms},
                         {"exact", analysis.exact},
                         {"note", analysis.note}};
    // File names come from the user: odd bytes must not break the whole report.
    return json_text(report, 2);
}

std::string clip_report_csv(const ClipSource& source, const StreamedClip& analysis, const std::vector<std::string>& labels) {
    return result_csv_header(labels) + clip_result_csv(source.file, analysis.result, labels, true);
}

}  // namespace ser::app
