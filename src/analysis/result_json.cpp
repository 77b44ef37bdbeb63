#include "analysis/result_json.h"

#include <algorithm>
#include <cstdio>

#include "nn/layers.h"

namespace ser {

namespace {

// Enough significant digits for a value to read back exactly: 9 for a float (the
// probabilities), 17 for a double (the times).
void append_number(std::string& out, double value, int digits) {
    char text[40];
    std::snprintf(text, sizeof text, ",%.*g", digits, value);
    out += text;
}

void append_row(std::string& out, std::string_view file, const char* scope, double start_s, double end_s,
                const char* speech, const std::string& label, const std::vector<float>& probabilities) {
    out += csv_field(file);
    out += ',';
    out += scope;
    append_number(out, start_s, 17);
    append_number(out, end_s, 17);
    out += ',';
    out += speech;
    out += ',';
    out += csv_field(label);
    for (float p : probabilities) append_number(out, p, 9);
    out += ",\r\n";  // an empty error column
}

}  // namespace

nlohmann::json probabilities_json(const std::vector<std::string>& labels, std::span<const float> p) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) j[labels[i]] = p[i];
    return j;
}

nlohmann::json clip_result_json(std::string_view file, const ClipResult& result, const std::vector<std::string>& labels,
                                bool with_timeline) {
    nlohmann::json j = {{"file", file},
                        {"label", labels.at(static_cast<std::size_t>(result.label))},
                        {"probabilities", probabilities_json(labels, result.probabilities)},
                        {"duration_s", result.duration_s},
                        {"speech_s", result.speech_s}};
    if (const std::string note = clip_result_note(result); !note.empty()) j["note"] = note;
    if (with_timeline) {
        nlohmann::json timeline = nlohmann::json::array();
        for (const WindowResult& w : result.windows)
            timeline.push_back({{"start_s", w.start_s},
                                {"end_s", w.end_s},
                                {"speech", w.activity.is_speech},
                                {"probabilities", probabilities_json(labels, w.probabilities)}});
        j["timeline"] = std::move(timeline);
    }
    return j;
}

std::string clip_result_note(const ClipResult& result) {
    // A word of a tenth of a second is too short for the voice-activity step to hear its rise
    // and fall: under little_speech_s it is the amount of audio that is said.
    if (result.speech_s < little_speech_s) {
        char note[160];
        std::snprintf(note, sizeof note, "only %.2f s of speech: the answer rests on little audio", result.speech_s);
        return note;
    }
    if (result.speech_windows == 0)
        return "no speech found: the voice-activity step heard only silence or steady sound in every window, so the "
               "label is not about a voice";
    return {};
}

nlohmann::json failed_file_json(std::string_view file, std::string_view error) {
    return {{"file", file}, {"error", error}};
}

std::string json_line(const nlohmann::json& record) {
    return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string result_csv_header(const std::vector<std::string>& labels) {
    std::string out = "file,scope,start_s,end_s,speech,label";
    for (const std::string& label : labels) out += ',' + csv_field(label);
    return out + ",error\r\n";
}

std::string clip_result_csv(std::string_view file, const ClipResult& result, const std::vector<std::string>& labels,
                            bool with_timeline) {
    std::string out;
    append_row(out, file, "clip", 0.0, result.duration_s, "", labels.at(static_cast<std::size_t>(result.label)),
               result.probabilities);
    if (with_timeline)
        for (const WindowResult& w : result.windows)
            append_row(out, file, "window", w.start_s, w.end_s, w.activity.is_speech ? "1" : "0",
                       labels.at(nn::argmax(w.probabilities)), w.probabilities);
    return out;
}

std::string failed_file_csv(std::string_view file, std::string_view error, const std::vector<std::string>& labels) {
    // file, scope, then start_s, end_s, speech, label and one column per label left empty.
    return csv_field(file) + ",clip" + std::string(4 + labels.size(), ',') + ',' + csv_field(error) + "\r\n";
}

}  // namespace ser
