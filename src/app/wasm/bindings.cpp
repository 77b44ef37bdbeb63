// The functions the page calls (exported from the module; see web/engine.js). Each one
// turns a thrown error into a message the UI shows, since an exception must not cross into
// JavaScript.

#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"

#include "app/state/diagnostics.h"
#include "app/state/session.h"
#include "app/wasm/guarded.h"
#include "audio/pcm_checks.h"

namespace {

using ser::app::session;

template <class Action>
bool guarded(const char* what, Action&& action) {
    return ser::wasm::guarded(std::forward<Action>(action), [&](const char* reason) {
        std::string message = std::string(what) + ": " + reason;
        std::fprintf(stderr, "ser: %s\n", message.c_str());
        session().intake.report_error(std::move(message));
    });
}

// A clip that cannot take a step is marked failed with the reason, on its own row in the UI.
template <class Action>
void guarded_clip(int id, Action&& action) {
    ser::wasm::guarded(std::forward<Action>(action), [&](const char* reason) {
        std::fprintf(stderr, "ser: audio file: %s\n", reason);
        guarded("audio file", [&] { session().clips.failed(id, reason); });
    });
}

std::vector<std::uint8_t>& recording_wav() {
    static std::vector<std::uint8_t> wav;
    return wav;
}

std::span<const float> block(const float* samples, int count) {
    const std::span<const float> pcm{samples, count > 0 ? static_cast<std::size_t>(count) : 0};
    ser::require_usable_pcm(pcm, "microphone block");
    return pcm;
}

}  // namespace

extern "C" {

// The default model could not be fetched; message says why (shown with what to do).
EMSCRIPTEN_KEEPALIVE void ser_model_missing(const char* message) {
    guarded("model", [&] { session().model.set_missing(message); });
}

// Validates and selftests a model file. Returns 1 when it is in use, 0 when refused (the
// reason is shown in the UI and in diagnostics' model.refusal).
EMSCRIPTEN_KEEPALIVE int ser_model_load(const char* name, const char* json_text) {
    bool taken = false;
    guarded("model", [&] { taken = session().model.load(name, json_text); });
    if (!taken) std::fprintf(stderr, "ser: %s\n", session().model.refusal().c_str());
    return taken ? 1 : 0;
}

// state: "off", "starting", "running" (sample_rate = the AudioContext's rate), "stopping"
// or "failed" (message says why, for the user).
EMSCRIPTEN_KEEPALIVE void ser_mic_state(const char* state, float sample_rate, const char* message) {
    guarded("microphone", [&] {
        ser::app::mic_state_changed(session(), ser::app::parse_mic_state(state), sample_rate, message, emscripten_get_now());
    });
}

// One batch from the AudioWorklet, already copied into the wasm heap by the page.
EMSCRIPTEN_KEEPALIVE void ser_mic_samples(const float* samples, int count, float sample_rate) {
    guarded("microphone audio",
            [&] { ser::app::mic_samples(session(), block(samples, count), sample_rate, emscripten_get_now()); });
}

// Uploads, as the upload worker reports them. ser_clip_add returns the new clip's id.
EMSCRIPTEN_KEEPALIVE int ser_clip_add(const char* name, double bytes) {
    int id = 0;
    guarded("audio file", [&] { id = session().clips.add(name, bytes); });
    return id;
}

EMSCRIPTEN_KEEPALIVE void ser_clip_started(int id, const char* format, float sample_rate, double duration_s) {
    guarded_clip(id, [&] { session().clips.started(id, format, sample_rate, duration_s); });
}

EMSCRIPTEN_KEEPALIVE void ser_clip_progress(int id, double done_s, float fraction, double worker_heap_bytes) {
    guarded_clip(id, [&] { session().clips.progress(id, done_s, fraction, worker_heap_bytes); });
}

EMSCRIPTEN_KEEPALIVE void ser_clip_done(int id, const char* report_json) {
    guarded_clip(id, [&] { session().clips.done(id, report_json); });
}

EMSCRIPTEN_KEEPALIVE void ser_clip_failed(int id, const char* message) {
    guarded("audio file", [&] { session().clips.failed(id, message); });
}

EMSCRIPTEN_KEEPALIVE void ser_clip_cancelled(int id) {
    guarded("audio file", [&] { session().clips.cancelled(id); });
}

// Mouse wheel, in lines (positive: up/left, as ImGui counts). The page sends it instead of
// Emscripten's GLFW, which passes the browser's raw pixel deltas with the opposite sign.
EMSCRIPTEN_KEEPALIVE void ser_scroll(float x_lines, float y_lines) {
    ImGuiIO& io = ImGui::GetIO();
    io.MouseWheelH += x_lines;
    io.MouseWheel += y_lines;
}

// An error the page met outside the microphone and clips (shown at the bottom of the UI).
EMSCRIPTEN_KEEPALIVE void ser_report_error(const char* message) { session().intake.report_error(message); }

// The microphone recording (MicRecorder) as a WAV file: ser_mic_recording_prepare() writes it
// and returns its size in bytes, ser_mic_recording_data() where it is. Valid until the next prepare.
EMSCRIPTEN_KEEPALIVE int ser_mic_recording_prepare() {
    recording_wav() = session().intake.recording().wav();
    return static_cast<int>(recording_wav().size());
}

EMSCRIPTEN_KEEPALIVE const std::uint8_t* ser_mic_recording_data() { return recording_wav().data(); }

// The module's state as JSON (see diagnostics.h). Valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* ser_diagnostics() {
    static std::string json;
    json = ser::app::diagnostics_json(session());
    return json.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* ser_live_timeline() {
    static std::string json;
    json = ser::app::live_timeline_json(session());
    return json.c_str();
}

}  // extern "C"
