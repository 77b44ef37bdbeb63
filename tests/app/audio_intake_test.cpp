#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "app/state/audio_intake.h"

using ser::app::AudioIntake;
using ser::app::MicState;

TEST_CASE("microphone states parse from the page's names and back") {
    for (MicState s : {MicState::off, MicState::starting, MicState::running, MicState::stopping, MicState::failed}) {
        CHECK(ser::app::parse_mic_state(ser::app::to_string(s)) == s);
    }
    CHECK_THROWS_WITH_AS(ser::app::parse_mic_state("listening"), doctest::Contains("'listening'"),
                         std::invalid_argument);
}

TEST_CASE("the microphone takes audio only while running or flushing on stop") {
    AudioIntake in;
    const std::vector<float> block(960, 0.2f);
    CHECK_THROWS_WITH_AS(in.push_mic(block, 48000.0f), doctest::Contains("off"), std::invalid_argument);
    in.set_mic_state(MicState::starting, 0.0f, "");
    CHECK_THROWS_AS(in.push_mic(block, 48000.0f), std::invalid_argument);
    in.set_mic_state(MicState::running, 48000.0f, "");
    in.push_mic(block, 48000.0f);
    in.set_mic_state(MicState::stopping, 0.0f, "");
    in.push_mic(block, 48000.0f);  // the worklet's last partial block
    in.set_mic_state(MicState::off, 0.0f, "");
    CHECK(in.mic().samples_received() == 1920);
    CHECK_THROWS_AS(in.push_mic(block, 48000.0f), std::invalid_argument);

    in.set_mic_state(MicState::failed, 0.0f, "Microphone access was denied.");
    CHECK(in.mic_state() == MicState::failed);
    CHECK(in.mic_message() == "Microphone access was denied.");
    in.set_mic_state(MicState::running, 44100.0f, "");
    CHECK(in.mic().samples_received() == 0);  // a new session counts from zero
    CHECK(in.mic().sample_rate() == 44100.0f);
    CHECK_THROWS_AS(in.set_mic_state(MicState::running, 0.0f, ""), std::invalid_argument);
}

TEST_CASE("each microphone session is recorded from its first sample, up to the recorder's limit") {
    AudioIntake in;
    in.set_mic_state(MicState::running, 8000.0f, "");
    const std::vector<float> block(8000, 0.25f);
    in.push_mic(block, 8000.0f);
    CHECK(in.recording().samples() == 8000);
    CHECK(in.recording().sample_rate() == 8000.0f);
    in.set_mic_state(MicState::off, 0.0f, "");
    in.set_mic_state(MicState::running, 16000.0f, "");
    CHECK(in.recording().samples() == 0);  // a new session, a new recording
    for (int i = 0; i < 2 * (static_cast<int>(ser::app::mic_recording_seconds) + 3); ++i) in.push_mic(block, 16000.0f);
    CHECK(in.recording().samples() == static_cast<std::size_t>(ser::app::mic_recording_seconds * 16000.0));
    CHECK(in.recording().truncated());
}
