#pragma once
// The uploaded clips as the UI shows them. The upload worker (web/clip-worker.js) decodes
// and analyses each clip; the page reports its steps here: queued, analysing (with progress),
// done (with the worker's JSON report), failed or cancelled.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ser::app {

enum class ClipState { queued, analysing, done, failed, cancelled };
const char* to_string(ClipState state);

struct ClipReport {
    std::vector<std::string> labels;  // the model's order
    int label = 0;
    std::vector<float> probabilities;
    std::vector<double> start_s, end_s;  // per window
    std::vector<unsigned char> speech;
    std::vector<float> window_probabilities;  // windows x labels
    double seconds = 0.0;
    double analysis_ms = 0.0;
    bool exact = true;
    std::string note;

    std::size_t windows() const { return start_s.size(); }
};

// Reads the report ser_worker_finish() writes (clip_report.h). Throws std::invalid_argument
// naming what is missing or wrong.
ClipReport parse_clip_report(std::string_view json_text);

struct Clip {
    int id = 0;
    std::string name;
    double bytes = 0.0;
    ClipState state = ClipState::queued;
    std::string format;          // as the worker recognised it ("wav", "flac", ...)
    float sample_rate = 0.0f;    // the file's own rate
    double duration_s = 0.0;     // from its header; 0 when unknown
    double done_s = 0.0;         // analysed so far
    float fraction = 0.0f;       // progress, 0..1
    double worker_heap_mb = 0.0; // the worker's wasm memory at the last progress report
    std::string message;         // why it failed, or a note on how it was analysed
    std::optional<ClipReport> report;
};

class ClipList {
public:
    int add(std::string name, double bytes);
    void started(int id, std::string format, float sample_rate, double duration_s);
    void progress(int id, double done_s, float fraction, double worker_heap_bytes);
    // Throws std::invalid_argument for a report that does not parse (the clip is then failed).
    void done(int id, std::string_view report_json);
    void failed(int id, std::string message);
    void cancelled(int id);

    const std::vector<Clip>& clips() const { return clips_; }
    const Clip* find(int id) const;
    // The clip whose results are shown: the one last finished, or the one the user picked.
    int selected() const { return selected_; }
    void select(int id);

private:
    Clip& clip(int id);

    std::vector<Clip> clips_;
    int selected_ = 0;
};

}  // namespace ser::app
