#include "app/state/clip_list.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace ser::app {

namespace {

using nlohmann::json;

const json& member(const json& object, const char* key, const char* where) {
    if (!object.is_object() || !object.contains(key))
        throw std::invalid_argument(std::string("the clip report has no '") + key + "' in " + where);
    return object.at(key);
}

double number(const json& value, const char* what) {
    if (!value.is_number() || !std::isfinite(value.get<double>()))
        throw std::invalid_argument(std::string("the clip report's ") + what + " is not a finite number");
    return value.get<double>();
}

// Probabilities keyed by label, read in the model's label order.
void read_probabilities(const json& object, const std::vector<std::string>& labels, std::vector<float>& out,
                        const char* where) {
    if (!object.is_object()) throw std::invalid_argument(std::string("the clip report's ") + where + " is not an object");
    for (const std::string& label : labels) {
        if (!object.contains(label))
            throw std::invalid_argument(std::string("the clip report's ") + where + " has no '" + label + "'");
        out.push_back(static_cast<float>(number(object.at(label), where)));
    }
}

}  // namespace

const char* to_string(ClipState state) {
    switch (state) {
        case ClipState::queued: return "queued";
        case ClipState::analysing: return "analysing";
        case ClipState::done: return "done";
        case ClipState::failed: return "failed";
        case ClipState::cancelled: return "cancelled";
    }
    return "?";
}

ClipReport parse_clip_report(std::string_view json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded()) throw std::invalid_argument("the clip report is not valid JSON");
    const json& browser = member(j, "browser", "the report");
    ClipReport r;
    for (const json& label : member(browser, "labels", "browser")) {
        if (!label.is_string()) throw std::invalid_argument("the clip report's labels must be strings");
        r.labels.push_back(label.get<std::string>());
    }
    if (r.labels.empty()) throw std::invalid_argument("the clip report names no labels");
    const json& label = member(j, "label", "the report");
    const auto found = std::find(r.labels.begin(), r.labels.end(), label.is_string() ? label.get<std::string>() : "");
    if (found == r.labels.end()) throw std::invalid_argument("the clip report's label is not one of its labels");
    r.label = static_cast<int>(found - r.labels.begin());
    read_probabilities(member(j, "probabilities", "the report"), r.labels, r.probabilities, "probabilities");
    const json& timeline = member(j, "timeline", "the report");
    if (!timeline.is_array()) throw std::invalid_argument("the clip report's timeline is not an array");
    for (const json& w : timeline) {
        r.start_s.push_back(number(member(w, "start_s", "a window"), "start_s"));
        r.end_s.push_back(number(member(w, "end_s", "a window"), "end_s"));
        const json& speech = member(w, "speech", "a window");
        if (!speech.is_boolean()) throw std::invalid_argument("the clip report's speech flag is not true or false");
        r.speech.push_back(speech.get<bool>() ? 1 : 0);
        read_probabilities(member(w, "probabilities", "a window"), r.labels, r.window_probabilities, "window probabilities");
    }
    r.seconds = number(member(browser, "seconds", "browser"), "seconds");
    r.analysis_ms = number(member(browser, "analysis_ms", "browser"), "analysis_ms");
    const json& exact = member(browser, "exact", "browser");
    r.exact = exact.is_boolean() && exact.get<bool>();
    // The result's own note (no speech, little speech) first, then the browser's.
    for (const json* note : {j.contains("note") ? &j.at("note") : nullptr, &member(browser, "note", "browser")}) {
        if (!note || !note->is_string() || note->get<std::string>().empty()) continue;
        if (!r.note.empty()) r.note += '\n';
        r.note += note->get<std::string>();
    }
    return r;
}

int ClipList::add(std::string name, double bytes) {
    Clip c;
    c.id = static_cast<int>(clips_.size()) + 1;
    c.name = std::move(name);
    c.bytes = bytes;
    clips_.push_back(std::move(c));
    return clips_.back().id;
}

Clip& ClipList::clip(int id) {
    if (id < 1 || id > static_cast<int>(clips_.size())) throw std::invalid_argument("no clip with id " + std::to_string(id));
    return clips_[static_cast<std::size_t>(id - 1)];
}

const Clip* ClipList::find(int id) const {
    return id >= 1 && id <= static_cast<int>(clips_.size()) ? &clips_[static_cast<std::size_t>(id - 1)] : nullptr;
}

void ClipList::started(int id, std::string format, float sample_rate, double duration_s) {
    Clip& c = clip(id);
    if (c.state != ClipState::queued)
        throw std::invalid_argument("clip '" + c.name + "' cannot start: it is " + to_string(c.state));
    c.state = ClipState::analysing;
    c.format = std::move(format);
    c.sample_rate = sample_rate;
    c.duration_s = duration_s;
}

void ClipList::progress(int id, double done_s, float fraction, double worker_heap_bytes) {
    Clip& c = clip(id);
    if (c.state != ClipState::analysing) return;  // a late report after a cancel
    c.done_s = done_s;
    c.fraction = std::clamp(fraction, 0.0f, 1.0f);
    c.worker_heap_mb = worker_heap_bytes / (1024.0 * 1024.0);
}

void ClipList::done(int id, std::string_view report_json) {
    Clip& c = clip(id);
    if (c.state != ClipState::analysing)
        throw std::invalid_argument("clip '" + c.name + "' cannot finish: it is " + to_string(c.state));
    c.report = parse_clip_report(report_json);
    c.state = ClipState::done;
    c.fraction = 1.0f;
    c.done_s = c.report->seconds;
    c.message = c.report->note;
    selected_ = id;
}

void ClipList::failed(int id, std::string message) {
    Clip& c = clip(id);
    c.state = ClipState::failed;
    c.message = std::move(message);
}

void ClipList::cancelled(int id) {
    Clip& c = clip(id);
    if (c.state == ClipState::queued || c.state == ClipState::analysing) c.state = ClipState::cancelled;
}

void ClipList::select(int id) {
    const Clip* c = find(id);
    if (c && c->state == ClipState::done) selected_ = id;
}

}  // namespace ser::app
