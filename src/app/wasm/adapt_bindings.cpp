// The calibration worker's side of "Calibrate to my voice" (web/calibration-worker.js runs it
// in the upload worker's module): the person's takes become the model's features exactly as
// `ser adapt` computes them (resampled to the model's rate, FeatureExtractor), then the
// core's adapt_model() runs on them. Each function returns 1 on success and 0 on failure,
// with the reason in ser_adapt_error().

#include <emscripten/emscripten.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "app/state/calibration_summary.h"
#include "app/wasm/guarded.h"
#include "audio/pcm_checks.h"
#include "audio/resampler.h"
#include "features/feature_extractor.h"
#include "model/adapt.h"
#include "model/model_input.h"

// Progress of the fits, for the page's progress bar (the worker posts it on).
EM_JS(void, ser_adapt_report_progress, (int done, int total), {
    if (Module["onAdaptProgress"]) Module["onAdaptProgress"](done, total);
});

namespace {

struct Adaptation {
    std::optional<ser::Model> base;
    std::string base_name;
    std::vector<ser::AdaptClip> clips;
    std::chrono::steady_clock::time_point started;
    std::string model_json, summary_json, error;
};

Adaptation& adaptation() {
    static Adaptation instance;
    return instance;
}

template <class Action>
int guarded(Action&& action) {
    return ser::wasm::guarded_status(adaptation().error, std::forward<Action>(action));
}

}  // namespace

extern "C" {

// Starts an adaptation of this model (never modified: the adapted one is a new file).
EMSCRIPTEN_KEEPALIVE int ser_adapt_begin(const char* name, const char* json_text) {
    return guarded([&] {
        Adaptation& a = adaptation();
        a = {};
        a.started = std::chrono::steady_clock::now();
        a.base = ser::load_model(json_text);
        a.base_name = name;
    });
}

// One take or clip: mono samples at sample_rate, and its label's index in the model's labels.
EMSCRIPTEN_KEEPALIVE int ser_adapt_add(const float* samples, int count, int sample_rate, int label) {
    return guarded([&] {
        Adaptation& a = adaptation();
        if (!a.base) throw std::logic_error("ser_adapt_add before ser_adapt_begin");
        const std::span<const float> pcm{samples, count > 0 ? static_cast<std::size_t>(count) : 0};
        ser::require_usable_pcm(pcm, "a calibration take");
        ser::AdaptClip clip;
        clip.label = label;
        ser::FeatureExtractor extractor(a.base->features);
        ser::analysed_clip_features(*a.base, extractor, ser::resample(pcm, sample_rate, a.base->features.sample_rate), clip.features);
        a.clips.push_back(std::move(clip));
    });
}

// Runs the adaptation (the core's refusals come back as the error, word for word).
EMSCRIPTEN_KEEPALIVE int ser_adapt_run() {
    return guarded([&] {
        Adaptation& a = adaptation();
        if (!a.base) throw std::logic_error("ser_adapt_run before ser_adapt_begin");
        ser::AdaptOptions options;
        options.base_name = a.base_name;
        options.on_progress = [](int done, int total) { ser_adapt_report_progress(done, total); };
        const ser::AdaptResult result = ser::adapt_model(*a.base, a.clips, options);
        std::vector<int> labels;
        for (const ser::AdaptClip& c : a.clips) labels.push_back(c.label);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - a.started).count();
        // At the strength leave-one-out chose; the full adaptation when it chose the base (what
        // "use the adapted model anyway" then loads).
        a.model_json = ser::save_model(ser::at_strength(*a.base, result.model, result.better_or_equal ? result.strength : 1.0));
        a.summary_json = ser::app::calibration_summary_json(ser::app::calibration_summary(result, labels, a.base->labels, seconds));
        a.clips.clear();
    });
}

EMSCRIPTEN_KEEPALIVE const char* ser_adapt_model_json() { return adaptation().model_json.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ser_adapt_summary_json() { return adaptation().summary_json.c_str(); }
EMSCRIPTEN_KEEPALIVE const char* ser_adapt_error() { return adaptation().error.c_str(); }

}  // extern "C"
