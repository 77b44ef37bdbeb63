#include "app/state/audio_intake.h"

#include <stdexcept>

namespace ser::app {

namespace {

// Long enough to see a word, short enough that the waveform reads as "now".
constexpr float waveform_seconds = 3.0f;

}  // namespace

MicState parse_mic_state(std::string_view name) {
    for (MicState s : {MicState::off, MicState::starting, MicState::running, MicState::stopping, MicState::failed}) {
        if (name == to_string(s)) return s;
    }
    throw std::invalid_argument("unknown microphone state '" + std::string(name) +
                                "' (expected off, starting, running, stopping or failed)");
}

const char* to_string(MicState state) {
    switch (state) {
        case MicState::off: return "off";
        case MicState::starting: return "starting";
        case MicState::running: return "running";
        case MicState::stopping: return "stopping";
        case MicState::failed: return "failed";
    }
    return "?";
}

AudioIntake::AudioIntake() : mic_(waveform_seconds), recorder_(mic_recording_seconds) {}

void AudioIntake::set_mic_state(MicState state, float sample_rate, std::string message) {
    if (state == MicState::running) {
        mic_.begin(sample_rate);
        recorder_.begin(sample_rate);
    }
    mic_state_ = state;
    mic_message_ = std::move(message);
}

void AudioIntake::push_mic(std::span<const float> samples, float sample_rate) {
    if (mic_state_ != MicState::running && mic_state_ != MicState::stopping) {
        throw std::invalid_argument(std::string("microphone audio arrived while the microphone is ") +
                                    to_string(mic_state_));
    }
    mic_.push(samples, sample_rate);
    recorder_.push(samples);
}

}  // namespace ser::app
