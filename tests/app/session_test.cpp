#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/state/session.h"
#include "app_test_models.h"

using namespace ser::app;

namespace {

const std::string& model_text() {
    static const std::string text = ser::save_model(ser::test::frame_model());
    return text;
}

// Plays `seconds` of the test audio as 20 ms blocks at 48 kHz.
void play(Session& s, double seconds, double& clock_ms) {
    const std::vector<float> pcm = ser::test::test_audio(seconds, 48000);
    for (std::size_t at = 0; at < pcm.size(); at += 960) {
        clock_ms += 20.0;
        mic_samples(s, std::span(pcm).subspan(at, std::min<std::size_t>(960, pcm.size() - at)), 48000.0f, clock_ms);
    }
}

}  // namespace

TEST_CASE("a model file is validated and selftested; a refused one leaves the current model in use") {
    ModelSlot slot;
    CHECK(slot.status() == ModelStatus::loading);
    slot.set_missing("models/default.json was not found (HTTP 404).");
    CHECK(slot.status() == ModelStatus::missing);
    CHECK_FALSE(slot.load("notes.txt", "this is not JSON"));
    CHECK(slot.refusal().find("'notes.txt' was refused") != std::string::npos);
    CHECK(slot.model() == nullptr);

    REQUIRE(slot.load("default.json", model_text()));
    CHECK(slot.status() == ModelStatus::ready);
    CHECK(slot.refusal().empty());
    CHECK(slot.card().labels.size() == 4);
    const auto generation = slot.generation();

    // A valid file whose selftest no longer matches its weights: one expected logit changed.
    auto j = nlohmann::json::parse(model_text());
    j["selftest"]["pipeline"]["logits"][0] = j["selftest"]["pipeline"]["logits"][0].get<double>() + 0.5;
    CHECK_FALSE(slot.load("tampered.json", j.dump()));
    CHECK(slot.refusal().find("'tampered.json' was refused") != std::string::npos);
    CHECK(slot.refusal().find("selftest") != std::string::npos);
    CHECK(slot.name() == "default.json");
    CHECK(slot.generation() == generation);
    slot.set_missing("late");  // a model is in use: nothing changes
    CHECK(slot.status() == ModelStatus::ready);
}

TEST_CASE("the microphone shows its spectrogram without a model and its emotions once one loads") {
    Session s;
    double clock = 0.0;
    mic_state_changed(s, MicState::running, 48000.0f, "", clock);
    play(s, 1.5, clock);
    CHECK_FALSE(s.live);
    REQUIRE(s.spectrogram);
    CHECK(s.spectrogram->columns() > 100);

    REQUIRE(s.model.load("default.json", model_text()));
    play(s, 2.0, clock);
    REQUIRE(s.live);
    CHECK(s.live->results() >= 4);
    CHECK(s.live->first_result_ms() > 1500.0);  // counted from the microphone's start

    const auto results = s.live->results();
    LiveControls c = s.controls;
    c.smoothing_s = 0.0f;
    c.threshold_dbfs = -30.0f;
    set_controls(s, c);  // applies to the running analysis
    play(s, 0.5, clock);
    CHECK(s.live->results() == results + 2);
    c.window_s = 3.0f;
    c.hop_s = 0.5f;
    set_controls(s, c);  // a new window restarts it
    play(s, 1.5, clock);
    CHECK(s.live->window_s() == 3.0);
    CHECK(s.live->results() == 1);

    CHECK_THROWS_WITH_AS(set_controls(s, {.window_s = 9.0f}), doctest::Contains("the window"), std::invalid_argument);
    CHECK_THROWS_AS(set_controls(s, {.window_s = 1.0f, .hop_s = 1.5f}), std::invalid_argument);
    CHECK_THROWS_AS(set_controls(s, {.smoothing_s = NAN}), std::invalid_argument);
    CHECK(s.controls.window_s == 3.0f);

    // A new session starts a new analysis, counted from its own start.
    mic_state_changed(s, MicState::off, 0.0f, "", clock);
    mic_state_changed(s, MicState::running, 44100.0f, "", clock);
    CHECK(s.live->input_rate() == 44100);
    CHECK(s.live->results() == 0);
    CHECK_THROWS_AS(mic_samples(s, std::vector<float>(10, 0.0f), 48000.0f, clock), std::invalid_argument);
}
