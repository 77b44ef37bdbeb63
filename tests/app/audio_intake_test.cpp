#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "app/audio_intake.h"

using ser::app::AudioIntake;
using ser::app::ClipState;
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

TEST_CASE("a clip goes from decoding to done with exactly the samples announced") {
    AudioIntake in;
    const int a = in.add_clip("a.wav");
    const int b = in.add_clip("b.flac");
    CHECK(a != b);
    REQUIRE(in.clips().size() == 2);
    CHECK(in.clips()[0].state == ClipState::decoding);

    const std::vector<float> chunk(1000, 0.1f);
    CHECK_THROWS_AS(in.push_clip(a, chunk, 22050.0f), std::invalid_argument);  // not decoded yet
    in.clip_decoded(a, 22050.0f, 2500, "");
    in.push_clip(a, chunk, 22050.0f);
    CHECK_THROWS_WITH_AS(in.finish_clip(a), doctest::Contains("1000 of its 2500"), std::invalid_argument);
    in.push_clip(a, chunk, 22050.0f);
    CHECK_THROWS_WITH_AS(in.push_clip(a, chunk, 22050.0f), doctest::Contains("more samples"), std::invalid_argument);
    in.push_clip(a, std::span(chunk).first(500), 22050.0f);
    in.finish_clip(a);
    CHECK(in.clips()[0].state == ClipState::done);
    CHECK(in.clips()[0].received_samples == 2500);
    CHECK(in.clip_stream().samples_received() == 2500);
    CHECK_THROWS_AS(in.clip_decoded(a, 22050.0f, 10, ""), std::invalid_argument);

    in.clip_decoded(b, 16000.0f, 10, "no sample rate in its header: decoded at 48000 Hz");
    CHECK(in.clip_stream().sample_rate() == 16000.0f);
    CHECK(in.clip_stream().samples_received() == 0);
    CHECK_THROWS_AS(in.push_clip(a, chunk, 22050.0f), std::invalid_argument);  // a is done
    CHECK_THROWS_AS(in.push_clip(b, std::span(chunk).first(10), 44100.0f), std::invalid_argument);
}

TEST_CASE("failures are kept on the clip, and unknown ids are refused") {
    AudioIntake in;
    const int id = in.add_clip("broken.mp3");
    in.fail_clip(id, "could not be decoded as audio");
    CHECK(in.clips()[0].state == ClipState::failed);
    CHECK(in.clips()[0].message == "could not be decoded as audio");
    CHECK_THROWS_AS(in.clip_decoded(id, 44100.0f, 100, ""), std::invalid_argument);
    CHECK_THROWS_WITH_AS(in.fail_clip(7, "x"), doctest::Contains("no clip with id 7"), std::invalid_argument);
    CHECK_THROWS_AS(in.clip_decoded(0, 44100.0f, 100, ""), std::invalid_argument);
    const int next = in.add_clip("c.wav");
    CHECK_THROWS_AS(in.clip_decoded(next, 44100.0f, -1, ""), std::invalid_argument);
}
