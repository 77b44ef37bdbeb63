#pragma once
// A clip's analysis as the files people download: JSON with the fields of one entry of
// `ser predict --format json --timeline` (so the two can be compared key by key) plus how the
// browser analysed it, and CSV with one row for the clip and one per window.

#include <string>
#include <vector>

#include "analysis/clip_stream.h"

namespace ser::app {

struct ClipSource {
    std::string file;      // the name the user gave
    std::string model;     // the model's file name
    double sample_rate = 0.0;  // the file's own rate, as decoded
    double analysis_ms = 0.0;  // decoding and analysis, wall clock
};

std::string clip_report_json(const ClipSource& source, const StreamedClip& analysis,
                             const std::vector<std::string>& labels);

// Columns: scope (clip or window), start_s, end_s, speech (1/0; empty for the clip),
// label, then one probability column per label in the model's order.
std::string clip_report_csv(const StreamedClip& analysis, const std::vector<std::string>& labels);

}  // namespace ser::app
