#pragma once
// Everything the page hands to the wasm module: the microphone's state and blocks, and the
// uploaded clips with their samples. The page (JS) owns the browser side of each source and
// reports every step here; the UI and the diagnostics only read this.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/stream_monitor.h"

namespace ser::app {

enum class MicState { off, starting, running, stopping, failed };
enum class ClipState { decoding, feeding, done, failed };

// Parses the names the page uses ("off", "starting", ...); throws std::invalid_argument.
MicState parse_mic_state(std::string_view name);
const char* to_string(MicState state);
const char* to_string(ClipState state);

struct Clip {
    int id = 0;
    std::string name;
    ClipState state = ClipState::decoding;
    float sample_rate = 0.0f;
    std::int64_t expected_samples = 0;
    std::int64_t received_samples = 0;
    std::string message;  // why it failed, or a note about how it was decoded
};

class AudioIntake {
public:
    AudioIntake();

    // Microphone. Entering `running` begins a new stream at sample_rate; blocks are accepted
    // while running or stopping (the worklet flushes its last partial block on stop).
    void set_mic_state(MicState state, float sample_rate, std::string message);
    void push_mic(std::span<const float> samples, float sample_rate);
    MicState mic_state() const { return mic_state_; }
    const std::string& mic_message() const { return mic_message_; }
    const StreamMonitor& mic() const { return mic_; }

    // Uploads, one clip at a time in the order added: added → decoded → samples → finished.
    int add_clip(std::string name);
    void clip_decoded(int id, float sample_rate, std::int64_t samples, std::string note);
    void push_clip(int id, std::span<const float> samples, float sample_rate);
    // Throws if fewer or more samples arrived than the decoder announced.
    void finish_clip(int id);
    void fail_clip(int id, std::string message);
    const std::vector<Clip>& clips() const { return clips_; }
    // The stream of the clip most recently decoded.
    const StreamMonitor& clip_stream() const { return clip_stream_; }

    // The last problem the page or the module met outside the states above.
    void report_error(std::string message) { last_error_ = std::move(message); }
    const std::string& last_error() const { return last_error_; }

private:
    Clip& clip(int id);

    MicState mic_state_ = MicState::off;
    std::string mic_message_;
    StreamMonitor mic_;
    std::vector<Clip> clips_;
    int fed_clip_ = 0;  // id of the clip clip_stream_ belongs to; 0 before any
    StreamMonitor clip_stream_;
    std::string last_error_;
};

}  // namespace ser::app
