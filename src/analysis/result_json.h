#pragma once
// The one way a clip's result is written out: `ser predict` (json, jsonl, csv) and the
// page's downloads give the same keys and the same numbers from these functions.
//
// JSON, one object per file: file, label, probabilities {label: p}, duration_s, speech_s (and
// a note when the speech is under little_speech_s or no window held any), and with a
// timeline the windows [{start_s, end_s, speech, probabilities}]; a file that failed is
// {file, error}. Keys come out sorted (nlohmann's default object).
//
// CSV (RFC 4180, CRLF): file, scope, start_s, end_s, speech, label, one probability column
// per label in the model's order, error. One `clip` row per file (start_s 0, end_s its
// duration, speech empty), and with a timeline one `window` row per window (speech 1/0).
// A failed file is one row with only file, scope and error filled.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analyzer.h"

namespace ser {

nlohmann::json probabilities_json(const std::vector<std::string>& labels, std::span<const float> p);

nlohmann::json clip_result_json(std::string_view file, const ClipResult& result, const std::vector<std::string>& labels,
                                bool with_timeline);
nlohmann::json failed_file_json(std::string_view file, std::string_view error);
// What a reader of the result must know before trusting its label (empty: nothing): the
// speech is under little_speech_s, or the voice-activity step heard none in any window.
std::string clip_result_note(const ClipResult& result);

// One JSON Lines record: compact, '\n'-terminated. Odd bytes in user-given names are
// replaced, not thrown on, so one file cannot break the whole output.
std::string json_line(const nlohmann::json& record);

// A CSV field: quoted when it holds a separator, a quote or a line break.
std::string csv_field(std::string_view text);
std::string result_csv_header(const std::vector<std::string>& labels);
std::string clip_result_csv(std::string_view file, const ClipResult& result, const std::vector<std::string>& labels,
                            bool with_timeline);
std::string failed_file_csv(std::string_view file, std::string_view error, const std::vector<std::string>& labels);

}  // namespace ser
