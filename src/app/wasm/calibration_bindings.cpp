// The interface module's exports for "Calibrate to my voice" (web/calibration.js calls them):
// the takes for the page to hand to the calibration worker, uploaded clips coming in, and
// the worker's progress and answer. Thin: what each does is src/app/state/calibration.*.

#include <emscripten/emscripten.h>

#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "app/state/calibration_summary.h"
#include "app/state/session.h"
#include "app/wasm/guarded.h"
#include "audio/pcm_checks.h"

namespace {

using ser::app::session;

const ser::app::CalibrationTake* take(int index) {
    const auto& takes = session().calibration.takes();
    return index >= 0 && static_cast<std::size_t>(index) < takes.size() ? &takes[static_cast<std::size_t>(index)] : nullptr;
}

template <class Action>
void guarded(Action&& action) {
    ser::wasm::guarded(std::forward<Action>(action), [](const char* reason) {
        std::fprintf(stderr, "ser: calibration: %s\n", reason);
        session().calibration.adaptation_refused(reason);
    });
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int ser_calibration_takes() { return static_cast<int>(session().calibration.takes().size()); }
EMSCRIPTEN_KEEPALIVE int ser_calibration_take_label(int i) { return take(i) ? take(i)->label : -1; }
EMSCRIPTEN_KEEPALIVE float ser_calibration_take_rate(int i) { return take(i) ? take(i)->sample_rate : 0.0f; }
EMSCRIPTEN_KEEPALIVE int ser_calibration_take_samples(int i) { return take(i) ? static_cast<int>(take(i)->samples.size()) : 0; }
EMSCRIPTEN_KEEPALIVE const float* ser_calibration_take_data(int i) { return take(i) ? take(i)->samples.data() : nullptr; }

// A clip the person uploaded for a label (the one page::open_calibration_picker named),
// decoded by the calibration worker.
EMSCRIPTEN_KEEPALIVE void ser_calibration_add_upload(const char* name, int label, const float* samples, int count, float sample_rate) {
    guarded([&] {
        const std::span<const float> pcm{samples, count > 0 ? static_cast<std::size_t>(count) : 0};
        ser::require_usable_pcm(pcm, name);
        session().calibration.add_upload(name, label, sample_rate, {pcm.begin(), pcm.end()});
    });
}

EMSCRIPTEN_KEEPALIVE void ser_calibration_started() { session().calibration.adaptation_started(); }
EMSCRIPTEN_KEEPALIVE void ser_calibration_progress(int done, int total) { session().calibration.adaptation_progress(done, total); }
EMSCRIPTEN_KEEPALIVE void ser_calibration_done(const char* summary_json) {
    guarded([&] { session().calibration.adaptation_done(ser::app::parse_calibration_summary(summary_json)); });
}
// The adaptation was refused (adapt_model's own message) or failed.
EMSCRIPTEN_KEEPALIVE void ser_calibration_refused(const char* message) { session().calibration.adaptation_refused(message); }

}  // extern "C"
