#pragma once
// The one running app: its model, microphone, live analysis, uploads and display state,
// shared by the frame loop (main.cpp) and the functions the page calls (bindings.cpp). The
// functions below are what those calls do, in plain C++ (tested without a browser).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "analysis/analyzer.h"
#include "app/state/audio_intake.h"
#include "app/state/calibration.h"
#include "app/state/clip_list.h"
#include "app/state/display_info.h"
#include "app/state/frame_clock.h"
#include "app/state/item_rects.h"
#include "app/state/live_timeline.h"
#include "app/state/model_slot.h"
#include "app/state/spectrogram.h"

namespace ser::app {

// The settings panel's ranges.
struct SettingLimits {
    static constexpr float min_window_s = 0.5f, max_window_s = 6.0f;
    static constexpr float min_hop_s = 0.05f, max_hop_s = 2.0f;
    static constexpr float max_smoothing_s = 10.0f;
    static constexpr float min_threshold_dbfs = -90.0f, max_threshold_dbfs = 0.0f;
};

// What the settings panel edits; window and hop 0 mean the model's own.
struct LiveControls {
    float window_s = 0.0f;
    float hop_s = 0.0f;
    float smoothing_s = 1.0f;
    float threshold_dbfs = -50.0f;
};

// Throws std::invalid_argument naming the setting that is out of range.
void check_controls(const LiveControls& controls);

inline constexpr double spectrogram_seconds = 6.0;
inline constexpr double live_history_seconds = 60.0;

struct Session {
    AudioIntake intake;
    ModelSlot model;
    ClipList clips;
    Calibration calibration;
    LiveControls controls;
    std::optional<LiveTimeline> live;        // while the microphone runs with a model
    std::optional<Spectrogram> spectrogram; // of the microphone, with or without a model
    ItemRects items;
    DisplayInfo display;
    FrameClock frames;

    // Bookkeeping for rebuilding `live` when the model or the window/hop change.
    std::uint64_t live_model_generation = 0;
    std::uint64_t controls_generation = 0;
    std::uint64_t live_controls_generation = 0;
    double mic_started_ms = 0.0;
    bool live_built_this_session = false;
};

Session& session();

// The page's microphone reports (now_ms: the page clock).
void mic_state_changed(Session& s, MicState state, float sample_rate, std::string message, double now_ms);
void mic_samples(Session& s, std::span<const float> samples, float sample_rate, double now_ms);
// Record pressed in the calibration panel: the take starts now when the microphone runs;
// returns true when the page must start the microphone first (the take then starts with it).
bool calibration_record(Session& s);
// New settings from the panel: smoothing and threshold apply at once, window and hop
// restart the live analysis. Throws std::invalid_argument for values out of range.
void set_controls(Session& s, const LiveControls& controls);
// The settings the live analysis is built with (0s resolved to the model's own values).
LiveSettings live_settings(const LiveControls& controls);

}  // namespace ser::app
