// The upload worker's module (web/clip-worker.js runs it in a Web Worker): the core without
// any graphics. It holds the model and analyses one clip at a time as the worker decodes it.
// Every function returns 1 on success and 0 on failure, with the reason in ser_worker_error();
// an exception never crosses into JavaScript.

#include <emscripten/emscripten.h>

#include <chrono>
#include <exception>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "app/state/clip_report.h"
#include "analysis/clip_stream.h"
#include "audio/pcm_checks.h"
#include "model/model.h"

namespace {

struct Worker {
    std::optional<ser::Model> model;
    std::string model_name;
    std::optional<ser::ClipStream> clip;
    ser::app::ClipSource source;
    std::chrono::steady_clock::time_point started;
    std::string json;
    std::string csv;
    std::string error;
};

Worker& worker() {
    static Worker instance;
    return instance;
}

template <class Action>
int guarded(Action&& action) {
    try {
        action();
        worker().error.clear();
        return 1;
    } catch (const std::exception& e) {
        worker().error = e.what();
        return 0;
    }
}

}  // namespace

extern "C" {

// Loads (and selftests) the model every later clip is analysed with.
EMSCRIPTEN_KEEPALIVE int ser_worker_set_model(const char* name, const char* json_text) {
    return guarded([&] {
        ser::Model model = ser::load_model(json_text);  // a refused file leaves the model there was
        Worker& w = worker();
        w.clip.reset();
        w.model = std::move(model);
        w.model_name = name;
    });
}

// Starts a clip decoded at sample_rate (the file's own rate); expected_s: its length as the
// header gives it, 0 when unknown.
EMSCRIPTEN_KEEPALIVE int ser_worker_begin(const char* file_name, int sample_rate, double expected_s) {
    return guarded([&] {
        Worker& w = worker();
        w.clip.reset();
        if (!w.model) throw std::invalid_argument("no model is loaded: load a model file first, then add the clip again");
        w.clip.emplace(*w.model, sample_rate, ser::ClipStreamOptions{.expected_s = expected_s});
        w.source = {file_name, w.model_name, static_cast<double>(sample_rate), 0.0};
        w.started = std::chrono::steady_clock::now();
    });
}

EMSCRIPTEN_KEEPALIVE int ser_worker_push(const float* samples, int count) {
    return guarded([&] {
        Worker& w = worker();
        if (!w.clip) throw std::logic_error("audio arrived before ser_worker_begin");
        const std::span<const float> pcm{samples, count > 0 ? static_cast<std::size_t>(count) : 0};
        ser::require_usable_pcm(pcm, "decoded audio");
        w.clip->push(pcm);
    });
}

// Seconds of the clip received so far (at the model's rate).
EMSCRIPTEN_KEEPALIVE double ser_worker_seconds() {
    const Worker& w = worker();
    return w.clip ? w.clip->seconds_received() : 0.0;
}

// Ends the clip; the reports are then in ser_worker_result_json/_csv.
EMSCRIPTEN_KEEPALIVE int ser_worker_finish() {
    return guarded([&] {
        Worker& w = worker();
        if (!w.clip) throw std::logic_error("ser_worker_finish without a clip");
        const ser::StreamedClip analysis = w.clip->finish();
        w.clip.reset();
        w.source.analysis_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w.started).count();
        w.json = ser::app::clip_report_json(w.source, analysis, w.model->labels);
        w.csv = ser::app::clip_report_csv(w.source, analysis, w.model->labels);
    });
}

// Forgets the clip in progress (the user cancelled it, or its decoding failed).
EMSCRIPTEN_KEEPALIVE void ser_worker_cancel() { worker().clip.reset(); }

EMSCRIPTEN_KEEPALIVE const char* ser_worker_result_json() { return worker().json.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ser_worker_result_csv() { return worker().csv.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ser_worker_error() { return worker().error.c_str(); }

}  // extern "C"
