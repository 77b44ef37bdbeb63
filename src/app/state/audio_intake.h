#pragma once
// The microphone as the page reports it to the wasm module: its state, its blocks (their
// level and waveform) and a recording of the session's first minutes. The page (JS) owns the
// browser side and reports every step here; the UI and the diagnostics only read this.

#include <span>
#include <string>
#include <string_view>

#include "app/state/mic_recorder.h"
#include "app/state/input_meter.h"

namespace ser::app {

enum class MicState { off, starting, running, stopping, failed };

// Parses the names the page uses ("off", "starting", ...); throws std::invalid_argument.
MicState parse_mic_state(std::string_view name);
const char* to_string(MicState state);

// How much of each session the recorder keeps.
inline constexpr double mic_recording_seconds = 120.0;

class AudioIntake {
public:
    AudioIntake();

    // Microphone. Entering `running` begins a new stream at sample_rate; blocks are accepted
    // while running or stopping (the worklet flushes its last partial block on stop).
    void set_mic_state(MicState state, float sample_rate, std::string message);
    void push_mic(std::span<const float> samples, float sample_rate);
    MicState mic_state() const { return mic_state_; }
    const std::string& mic_message() const { return mic_message_; }
    const InputMeter& mic() const { return mic_; }

    const MicRecorder& recording() const { return recorder_; }

    // The last problem the page or the module met outside the states above.
    void report_error(std::string message) { last_error_ = std::move(message); }
    const std::string& last_error() const { return last_error_; }

private:
    MicState mic_state_ = MicState::off;
    std::string mic_message_;
    InputMeter mic_;
    MicRecorder recorder_;
    std::string last_error_;
};

}  // namespace ser::app
