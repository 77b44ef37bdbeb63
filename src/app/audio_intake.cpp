#include "app/audio_intake.h"

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

const char* to_string(ClipState state) {
    switch (state) {
        case ClipState::decoding: return "decoding";
        case ClipState::feeding: return "feeding";
        case ClipState::done: return "done";
        case ClipState::failed: return "failed";
    }
    return "?";
}

AudioIntake::AudioIntake() : mic_(waveform_seconds), clip_stream_(waveform_seconds) {}

void AudioIntake::set_mic_state(MicState state, float sample_rate, std::string message) {
    if (state == MicState::running) mic_.begin(sample_rate);
    mic_state_ = state;
    mic_message_ = std::move(message);
}

void AudioIntake::push_mic(std::span<const float> samples, float sample_rate) {
    if (mic_state_ != MicState::running && mic_state_ != MicState::stopping) {
        throw std::invalid_argument(std::string("microphone audio arrived while the microphone is ") +
                                    to_string(mic_state_));
    }
    mic_.push(samples, sample_rate);
}

int AudioIntake::add_clip(std::string name) {
    Clip c;
    c.id = static_cast<int>(clips_.size()) + 1;
    c.name = std::move(name);
    clips_.push_back(std::move(c));
    return clips_.back().id;
}

Clip& AudioIntake::clip(int id) {
    if (id < 1 || id > static_cast<int>(clips_.size())) {
        throw std::invalid_argument("no clip with id " + std::to_string(id));
    }
    return clips_[static_cast<std::size_t>(id - 1)];
}

void AudioIntake::clip_decoded(int id, float sample_rate, std::int64_t samples, std::string note) {
    Clip& c = clip(id);
    if (c.state != ClipState::decoding) {
        throw std::invalid_argument("clip '" + c.name + "' was already decoded (it is " + to_string(c.state) + ")");
    }
    if (samples < 0) throw std::invalid_argument("clip '" + c.name + "' announced a negative sample count");
    clip_stream_.begin(sample_rate);
    fed_clip_ = id;
    c.state = ClipState::feeding;
    c.sample_rate = sample_rate;
    c.expected_samples = samples;
    c.message = std::move(note);
}

void AudioIntake::push_clip(int id, std::span<const float> samples, float sample_rate) {
    Clip& c = clip(id);
    if (c.state != ClipState::feeding || id != fed_clip_) {
        throw std::invalid_argument("audio arrived for clip '" + c.name + "', which is " + to_string(c.state) +
                                    (id != fed_clip_ ? " and not the clip being fed" : ""));
    }
    if (c.received_samples + static_cast<std::int64_t>(samples.size()) > c.expected_samples) {
        throw std::invalid_argument("clip '" + c.name + "' received more samples than the " +
                                    std::to_string(c.expected_samples) + " its decoder announced");
    }
    clip_stream_.push(samples, sample_rate);
    c.received_samples += static_cast<std::int64_t>(samples.size());
}

void AudioIntake::finish_clip(int id) {
    Clip& c = clip(id);
    if (c.state != ClipState::feeding) {
        throw std::invalid_argument("clip '" + c.name + "' cannot finish: it is " + to_string(c.state));
    }
    if (c.received_samples != c.expected_samples) {
        throw std::invalid_argument("clip '" + c.name + "' ended after " + std::to_string(c.received_samples) +
                                    " of its " + std::to_string(c.expected_samples) + " samples");
    }
    c.state = ClipState::done;
}

void AudioIntake::fail_clip(int id, std::string message) {
    Clip& c = clip(id);
    c.state = ClipState::failed;
    c.message = std::move(message);
}

}  // namespace ser::app
