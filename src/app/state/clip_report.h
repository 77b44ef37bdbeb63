#pragma once
// A clip's analysis as the files people download, written by the one result serialiser
// (analysis/result_json.h): the JSON is `ser predict --format json --timeline`'s record for
// the file plus a "browser" block saying how the page analysed it; the CSV is
// `ser predict --format csv --timeline`'s header and rows.

#include <string>
#include <vector>

#include "analysis/analyzer.h"

namespace ser::app {

struct ClipSource {
    std::string file;      // the name the user gave
    std::string model;     // the model's file name
    double sample_rate = 0.0;  // the file's own rate, as decoded
    double analysis_ms = 0.0;  // decoding and analysis, wall clock
};

std::string clip_report_json(const ClipSource& source, const StreamedClip& analysis,
                             const std::vector<std::string>& labels);
std::string clip_report_csv(const ClipSource& source, const StreamedClip& analysis, const std::vector<std::string>& labels);

}  // namespace ser::app
