// The upload worker's module (web/clip-worker.js runs it in a Web Worker): the core without
// any graphics. It holds the model and analyses one clip at a time as the worker decodes it,
// or one share of a long clip split across the page's workers (its windows then go out as
// bytes), and merges a split clip's shares into its reports.
// Every function returns 1 on success and 0 on failure, with the reason in ser_worker_error();
// an exception never crosses into JavaScript.

#include <emscripten/emscripten.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "app/state/clip_report.h"
#include "app/state/clip_share.h"
#include "analysis/analyzer.h"
#include "app/wasm/guarded.h"
#include "audio/pcm_checks.h"
#include "model/model.h"

namespace {

struct Worker {
    std::optional<ser::Model> model;
    std::string model_name;
    std::optional<ser::Analyzer> clip;
    ser::ClipShare share;
    ser::app::ClipSource source;
    std::chrono::steady_clock::time_point started;
    std::string json;
    std::string csv;
    std::vector<std::uint8_t> share_bytes;  // a share's windows, when the clip was a share
    std::vector<ser::app::SharePart> merging;
    std::string error;
};

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Worker& worker() {
    static Worker instance;
    return instance;
}

template <class Action>
int guarded(Action&& action) {
    return ser::wasm::guarded_status(worker().error, std::forward<Action>(action));
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

// Whether the model's clips can be split into shares across workers (frame-local features).
EMSCRIPTEN_KEEPALIVE int ser_worker_splits() {
    const Worker& w = worker();
    return w.model && ser::splits(*w.model) ? 1 : 0;
}

// Starts a clip decoded at sample_rate (the file's own rate); expected_s: its length as the
// header gives it, 0 when unknown. share_index of share_count: which of its windows this
// worker classifies (0 of 1: all of them).
EMSCRIPTEN_KEEPALIVE int ser_worker_begin(const char* file_name, int sample_rate, double expected_s, int share_index,
                                          int share_count) {
    return guarded([&] {
        Worker& w = worker();
        w.clip.reset();
        if (!w.model) throw std::invalid_argument("no model is loaded: load a model file first, then add the clip again");
        w.share = {.index = share_index, .count = share_count};
        ser::ClipSettings settings;
        settings.expected_s = expected_s;
        settings.share = w.share;
        w.clip.emplace(*w.model, sample_rate, settings);
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
    return w.clip ? w.clip->stream_seconds() : 0.0;
}

// Ends the clip; the reports are then in ser_worker_result_json/_csv, or for a share its
// windows in ser_worker_result_bytes/_size.
EMSCRIPTEN_KEEPALIVE int ser_worker_finish() {
    return guarded([&] {
        Worker& w = worker();
        if (!w.clip) throw std::logic_error("ser_worker_finish without a clip");
        w.json.clear();
        w.csv.clear();
        w.share_bytes.clear();
        if (w.share.count > 1) {
            ser::ClipWindows windows = w.clip->finish_share();
            w.clip.reset();
            w.share_bytes = ser::app::share_bytes({w.source.sample_rate, ms_since(w.started), std::move(windows)});
            return;
        }
        const ser::StreamedClip analysis = w.clip->finish();
        w.clip.reset();
        w.source.analysis_ms = ms_since(w.started);
        w.json = ser::app::clip_report_json(w.source, analysis, w.model->labels);
        w.csv = ser::app::clip_report_csv(w.source, analysis, w.model->labels);
    });
}

// A split clip's shares, each as ser_worker_result_bytes gave it, then the merge: the
// reports are then in ser_worker_result_json/_csv, as one worker would have written them.
EMSCRIPTEN_KEEPALIVE void ser_worker_merge_begin() { worker().merging.clear(); }

EMSCRIPTEN_KEEPALIVE int ser_worker_merge_add(const std::uint8_t* bytes, int size) {
    return guarded([&] {
        worker().merging.push_back(ser::app::share_from_bytes({bytes, size > 0 ? static_cast<std::size_t>(size) : 0}));
    });
}

EMSCRIPTEN_KEEPALIVE int ser_worker_merge_finish(const char* file_name) {
    return guarded([&] {
        Worker& w = worker();
        if (!w.model) throw std::invalid_argument("no model is loaded: load a model file first, then add the clip again");
        if (w.merging.empty()) throw std::logic_error("ser_worker_merge_finish without shares");
        const auto start = std::chrono::steady_clock::now();
        std::vector<ser::ClipWindows> shares;
        double slowest_ms = 0.0;
        for (ser::app::SharePart& part : w.merging) {
            slowest_ms = std::max(slowest_ms, part.analysis_ms);
            shares.push_back(std::move(part.windows));
        }
        const double sample_rate = w.merging.front().sample_rate;
        w.merging.clear();
        const ser::StreamedClip analysis = ser::merge_shares(*w.model, std::move(shares));
        // The shares ran side by side: the clip took as long as the slowest, then the merge.
        const ser::app::ClipSource source{file_name, w.model_name, sample_rate, slowest_ms + ms_since(start)};
        w.json = ser::app::clip_report_json(source, analysis, w.model->labels);
        w.csv = ser::app::clip_report_csv(source, analysis, w.model->labels);
    });
}

// Forgets the clip in progress (the user cancelled it, or its decoding failed).
EMSCRIPTEN_KEEPALIVE void ser_worker_cancel() { worker().clip.reset(); }

EMSCRIPTEN_KEEPALIVE const char* ser_worker_result_json() { return worker().json.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ser_worker_result_csv() { return worker().csv.c_str(); }
EMSCRIPTEN_KEEPALIVE const std::uint8_t* ser_worker_result_bytes() { return worker().share_bytes.data(); }
EMSCRIPTEN_KEEPALIVE int ser_worker_result_size() { return static_cast<int>(worker().share_bytes.size()); }
EMSCRIPTEN_KEEPALIVE const char* ser_worker_error() { return worker().error.c_str(); }

}  // extern "C"
