// The functions the page calls (exported from the module; see web/engine.js). Each one
// turns a thrown error into a message the UI shows, since an exception must not cross into
// JavaScript.

#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <span>
#include <string>

#include "app/session.h"

namespace {

using ser::app::session;

template <class Action>
bool guarded(const char* what, Action&& action) {
    try {
        action();
        return true;
    } catch (const std::exception& e) {
        std::string message = std::string(what) + ": " + e.what();
        std::fprintf(stderr, "ser: %s\n", message.c_str());
        session().intake.report_error(std::move(message));
        return false;
    }
}

// A clip that cannot take a step is marked failed with the reason, on its own row in the UI.
template <class Action>
bool guarded_clip(int id, Action&& action) {
    try {
        action();
        return true;
    } catch (const std::exception& e) {
        const std::string reason = e.what();
        std::fprintf(stderr, "ser: audio file: %s\n", reason.c_str());
        guarded("audio file", [&] { session().intake.fail_clip(id, reason); });
        return false;
    }
}

std::span<const float> block(const float* samples, int count) {
    return {samples, count > 0 ? static_cast<std::size_t>(count) : 0};
}

}  // namespace

extern "C" {

// state: "off", "starting", "running" (sample_rate = the AudioContext's rate), "stopping"
// or "failed" (message says why, for the user).
EMSCRIPTEN_KEEPALIVE void ser_mic_state(const char* state, float sample_rate, const char* message) {
    guarded("microphone", [&] {
        session().intake.set_mic_state(ser::app::parse_mic_state(state), sample_rate, message);
    });
}

// One batch from the AudioWorklet, already copied into the wasm heap by the page.
EMSCRIPTEN_KEEPALIVE void ser_mic_samples(const float* samples, int count, float sample_rate) {
    guarded("microphone audio", [&] { session().intake.push_mic(block(samples, count), sample_rate); });
}

// Returns the new clip's id (shown at once as "decoding").
EMSCRIPTEN_KEEPALIVE int ser_clip_add(const char* name) {
    int id = 0;
    guarded("audio file", [&] { id = session().intake.add_clip(name); });
    return id;
}

// The clip steps return 1 on success, 0 when the clip was marked failed (the page stops
// feeding it). samples: the decoded length (double: JS numbers, and clips longer than 2^31 samples).
EMSCRIPTEN_KEEPALIVE int ser_clip_decoded(int id, float sample_rate, double samples, const char* note) {
    return guarded_clip(id, [&] {
        session().intake.clip_decoded(id, sample_rate, static_cast<std::int64_t>(samples), note);
    }) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int ser_clip_samples(int id, const float* samples, int count, float sample_rate) {
    return guarded_clip(id, [&] { session().intake.push_clip(id, block(samples, count), sample_rate); }) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int ser_clip_finish(int id) {
    return guarded_clip(id, [&] { session().intake.finish_clip(id); }) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void ser_clip_failed(int id, const char* message) {
    guarded("audio file", [&] { session().intake.fail_clip(id, message); });
}

// An error the page met outside the microphone and clips (shown at the bottom of the UI).
EMSCRIPTEN_KEEPALIVE void ser_report_error(const char* message) { session().intake.report_error(message); }

// The module's state as JSON (see diagnostics.h). Valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* ser_diagnostics() {
    static std::string json;
    const ser::app::Session& s = session();
    json = ser::app::diagnostics_json({s.intake, s.items, s.display, s.frames_drawn});
    return json.c_str();
}

}  // extern "C"
