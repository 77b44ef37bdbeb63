#include "app/state/session.h"

#include <cmath>
#include <stdexcept>

namespace ser::app {

namespace {

void require_range(const char* name, float value, float low, float high) {
    if (!(value >= low && value <= high)) {
        throw std::invalid_argument(std::string(name) + " must be between " + std::to_string(low) + " and " +
                                    std::to_string(high) + ", not " + std::to_string(value));
    }
}

// Builds (or rebuilds) the live analysis when the microphone runs with a model and the
// current one was made for another model or other window and hop.
void keep_live_current(Session& s, double now_ms) {
    const Model* model = s.model.model();
    if (!model || s.intake.mic_state() != MicState::running) return;
    if (s.live && s.live_model_generation == s.model.generation() &&
        s.live_controls_generation == s.controls_generation)
        return;
    // The first analysis of a session counts from the microphone's start (first-result latency).
    const double started = s.live_built_this_session ? now_ms : s.mic_started_ms;
    s.live.reset();
    s.live.emplace(*model, static_cast<int>(std::lround(s.intake.mic().sample_rate())), live_settings(s.controls),
                   started, live_history_seconds);
    s.live_model_generation = s.model.generation();
    s.live_controls_generation = s.controls_generation;
    s.live_built_this_session = true;
}

}  // namespace

void check_controls(const LiveControls& c) {
    // 0 stands for the model's own window and hop.
    if (c.window_s != 0.0f) require_range("the window", c.window_s, SettingLimits::min_window_s, SettingLimits::max_window_s);
    if (c.hop_s != 0.0f) require_range("the hop", c.hop_s, SettingLimits::min_hop_s, SettingLimits::max_hop_s);
    if (c.window_s > 0.0f && c.hop_s > c.window_s)
        throw std::invalid_argument("the hop must not be longer than the window");
    require_range("the smoothing", c.smoothing_s, 0.0f, SettingLimits::max_smoothing_s);
    require_range("the activity threshold", c.threshold_dbfs, SettingLimits::min_threshold_dbfs,
                  SettingLimits::max_threshold_dbfs);
}

LiveSettings live_settings(const LiveControls& c) {
    LiveSettings settings;
    settings.window_s = c.window_s;
    settings.hop_s = c.hop_s;
    settings.smoothing_s = c.smoothing_s;
    settings.activity_threshold_dbfs = c.threshold_dbfs;
    return settings;
}

Session& session() {
    static Session instance;
    return instance;
}

void mic_state_changed(Session& s, MicState state, float sample_rate, std::string message, double now_ms) {
    s.intake.set_mic_state(state, sample_rate, std::move(message));
    if (state == MicState::off || state == MicState::failed) s.calibration.mic_stopped(s.intake.mic_message());
    if (state != MicState::running) return;
    s.calibration.mic_running(sample_rate);
    s.live.reset();
    s.live_built_this_session = false;
    s.mic_started_ms = now_ms;
    const int rate = static_cast<int>(std::lround(sample_rate));
    if (!s.spectrogram || s.spectrogram->sample_rate() != rate) s.spectrogram.emplace(rate, spectrogram_seconds);
    else s.spectrogram->clear();
    keep_live_current(s, now_ms);
}

void mic_samples(Session& s, std::span<const float> samples, float sample_rate, double now_ms) {
    s.intake.push_mic(samples, sample_rate);  // checks state, rate and values first
    if (s.spectrogram) s.spectrogram->push(samples);
    s.calibration.push(samples);
    keep_live_current(s, now_ms);
    if (s.live) s.live->push(samples, now_ms);
}

bool calibration_record(Session& s) {
    s.calibration.arm();
    if (s.intake.mic_state() != MicState::running) return true;
    s.calibration.mic_running(s.intake.mic().sample_rate());
    return false;
}

void set_controls(Session& s, const LiveControls& controls) {
    check_controls(controls);
    const bool restart = controls.window_s != s.controls.window_s || controls.hop_s != s.controls.hop_s;
    s.controls = controls;
    if (restart) {
        ++s.controls_generation;
        return;  // rebuilt with every setting at the next block
    }
    if (s.live) {
        s.live->set_smoothing(controls.smoothing_s);
        s.live->set_activity_threshold(controls.threshold_dbfs);
    }
}

}  // namespace ser::app
