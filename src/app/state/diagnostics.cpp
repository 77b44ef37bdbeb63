#include "app/state/diagnostics.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/json_text.h"
#include "nn/layers.h"

namespace ser::app {

namespace {

using nlohmann::json;

json probabilities_json(const std::vector<std::string>& labels, std::span<const float> p) {
    if (p.empty()) return nullptr;
    json j = json::object();
    for (std::size_t i = 0; i < labels.size() && i < p.size(); ++i) j[labels[i]] = p[i];
    return j;
}

json top_label(const std::vector<std::string>& labels, std::span<const float> p) {
    if (p.empty()) return nullptr;
    return labels[nn::argmax(p)];
}

json model_json(const ModelSlot& m) {
    json j = {{"status", to_string(m.status())},
              {"name", m.name()},
              {"missing", m.missing_reason()},
              {"refusal", m.refusal()},
              {"generation", m.generation()}};
    if (const Model* model = m.model()) {
        j["labels"] = model->labels;
        j["adapted"] = model->adaptation.has_value();
        j["parameters"] = model->network.parameter_count();
        j["window_s"] = model->analysis.window_s;
        j["hop_s"] = model->analysis.hop_s;
        j["card"] = {{"metrics", m.card().metrics.size()},
                     {"confusion", m.card().confusion.size()},
                     {"training_data", m.card().training_data}};
    }
    return j;
}

json mic_json(const AudioIntake& in) {
    const InputMeter& s = in.mic();
    return {{"state", to_string(in.mic_state())},
            {"message", in.mic_message()},
            {"rate", s.sample_rate()},
            {"samples", s.samples_received()},
            {"level_dbfs", s.level_dbfs()},
            {"block_dbfs", s.block_dbfs()},
            {"peak", s.peak()},
            {"recorded_samples", in.recording().samples()}};
}

json live_json(const LiveTimeline& live) {
    const LiveCost c = live.cost();
    return {{"state", to_string(live.state())},
            {"results", live.results()},
            {"first_result_ms", live.first_result_ms() < 0.0 ? json(nullptr) : json(live.first_result_ms())},
            {"current", probabilities_json(live.labels(), live.current())},
            {"current_label", top_label(live.labels(), live.current())},
            {"stream_s", live.stream_seconds()},
            {"window_s", live.window_s()},
            {"hop_s", live.hop_s()},
            {"cost",
             {{"hops", c.hops},
              {"speech_hops", c.speech_hops},
              {"last_ms", c.last_ms},
              {"mean_ms", c.mean_ms},
              {"median_ms", c.median_ms},
              {"p95_ms", c.p95_ms},
              {"max_ms", c.max_ms},
              {"feature_ms", c.feature_ms},
              {"inference_ms", c.inference_ms},
              {"real_time_factor", c.real_time_factor}}}};
}

json clip_json(const Clip& c) {
    json j = {{"id", c.id},
              {"name", c.name},
              {"state", to_string(c.state)},
              {"format", c.format},
              {"rate", c.sample_rate},
              {"duration_s", c.duration_s},
              {"done_s", c.done_s},
              {"fraction", c.fraction},
              {"worker_heap_mb", c.worker_heap_mb},
              {"message", c.message}};
    if (c.report) {
        const ClipReport& r = *c.report;
        j["label"] = r.labels[static_cast<std::size_t>(r.label)];
        j["probabilities"] = probabilities_json(r.labels, r.probabilities);
        j["windows"] = r.windows();
        j["seconds"] = r.seconds;
        j["analysis_ms"] = r.analysis_ms;
        j["exact"] = r.exact;
    }
    return j;
}

json calibration_json(const Calibration& c) {
    json takes = json::array();
    for (const CalibrationTake& t : c.takes())
        takes.push_back({{"label", c.labels()[static_cast<std::size_t>(t.label)]},
                         {"prompt", t.prompt},
                         {"source", t.source},
                         {"seconds", t.sample_rate > 0.0f ? static_cast<double>(t.samples.size()) / t.sample_rate : 0.0}});
    json prompt = nullptr;
    if (!c.prompts().empty()) {
        const CalibrationPrompt& p = c.prompts()[static_cast<std::size_t>(c.current_prompt())];
        prompt = {{"index", c.current_prompt()},
                  {"label", c.labels()[static_cast<std::size_t>(p.label)]},
                  {"sentence", calibration_sentences[p.sentence]}};
    }
    json summary = nullptr;
    if (const auto& r = c.summary()) {
        summary = {{"base_uar", r->base_uar},       {"adapted_uar", r->adapted_uar},
                   {"better_or_equal", r->better_or_equal}, {"clips", r->clip_labels.size()},
                   {"warnings", r->warnings},       {"seconds", r->seconds}};
    }
    return {{"phase", to_string(c.phase())},
            {"prompt", prompt},
            {"prompts", c.prompts().size()},
            {"recording_s", c.recording_seconds()},
            {"takes", takes},
            {"progress", c.progress()},
            {"summary", summary},
            {"message", c.message()},
            {"message_is_error", c.message_is_error()}};
}

// File names and model names come from the user: odd bytes must not break the whole report.
std::string dump(const json& j) { return json_text(j); }

}  // namespace

std::string diagnostics_json(const Session& s) {
    json clips = json::array();
    for (const Clip& c : s.clips.clips()) clips.push_back(clip_json(c));

    const float to_css = s.display.pixel_ratio > 0.0f ? 1.0f / s.display.pixel_ratio : 1.0f;
    json items = json::object();
    for (const NamedRect& item : s.items.items()) {
        const Rect& r = item.rect;
        items[item.name] = {{"x", r.x * to_css}, {"y", r.y * to_css}, {"width", r.width * to_css},
                            {"height", r.height * to_css}};
    }
    json spectrogram = nullptr;
    if (s.spectrogram) {
        spectrogram = {{"columns", s.spectrogram->columns()},
                       {"bands", s.spectrogram->bands()},
                       {"peak_db", s.spectrogram->peak_db()}};
    }
    const DisplayInfo& d = s.display;
    return dump({{"frames", s.frames.frames()},
                 {"fps", s.frames.fps()},
                 {"longest_frame_ms", s.frames.longest_frame_ms()},
                 {"display",
                  {{"css", {d.css_width, d.css_height}},
                   {"framebuffer", {d.framebuffer_width, d.framebuffer_height}},
                   {"pixel_ratio", d.pixel_ratio}}},
                 {"model", model_json(s.model)},
                 {"mic", mic_json(s.intake)},
                 {"live", s.live ? live_json(*s.live) : json(nullptr)},
                 {"spectrogram", spectrogram},
                 {"clips", clips},
                 {"calibration", calibration_json(s.calibration)},
                 {"selected_clip", s.clips.selected()},
                 {"controls",
                  {{"window_s", s.controls.window_s},
                   {"hop_s", s.controls.hop_s},
                   {"smoothing_s", s.controls.smoothing_s},
                   {"threshold_dbfs", s.controls.threshold_dbfs}}},
                 {"error", s.intake.last_error()},
                 {"items", items}});
}

std::string live_timeline_json(const Session& s) {
    if (!s.live) return "null";
    const LiveTimeline& live = *s.live;
    json points = json::array();
    for (std::size_t i = 0; i < live.points(); ++i) {
        const LivePoint p = live.point(i);
        points.push_back({{"end_s", p.end_s},
                          {"speech", p.speech},
                          {"loud_dbfs", p.loud_dbfs},
                          {"label", top_label(live.labels(), p.probabilities)},
                          {"probabilities", probabilities_json(live.labels(), p.probabilities)},
                          {"smoothed", probabilities_json(live.labels(), p.smoothed)}});
    }
    return dump({{"labels", live.labels()},
                 {"input_rate", live.input_rate()},
                 {"window_s", live.window_s()},
                 {"hop_s", live.hop_s()},
                 {"results", live.results()},
                 {"points", points}});
}

}  // namespace ser::app
