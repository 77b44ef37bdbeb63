// The calibration panel's state (app/state/calibration.h): takes recorded from the
// microphone through the session, the voice-activity checks that refuse a take without losing
// the others, redo, the microphone going away mid-take, and the worker's answer read back.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "app/state/session.h"
#include "app_test_models.h"

using namespace ser::app;

namespace {

constexpr float rate = 48000.0f;

void feed(Session& s, const std::vector<float>& pcm, double& clock) {
    for (std::size_t at = 0; at < pcm.size(); at += 960) {
        clock += 20.0;
        mic_samples(s, std::span(pcm).subspan(at, std::min<std::size_t>(960, pcm.size() - at)), rate, clock);
    }
}

Session calibrating(double& clock) {
    Session s;
    s.calibration.set_labels({"neutral", "happy", "sad"});
    mic_state_changed(s, MicState::running, rate, "", clock);
    return s;
}

// Record pressed, `pcm` spoken, Stop pressed.
void take(Session& s, const std::vector<float>& pcm, double& clock) {
    CHECK_FALSE(calibration_record(s));  // the microphone runs: the take starts at once
    feed(s, pcm, clock);
    s.calibration.stop_take();
}

std::vector<float> steady_tone(double seconds) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = 0.3f * std::sin(0.05f * static_cast<float>(i));
    return pcm;
}

}  // namespace

TEST_CASE("takes follow the prompts, label by label; a redo replaces its take") {
    double clock = 0.0;
    Session s = calibrating(clock);
    REQUIRE(s.calibration.prompts().size() == 3 * calibration_sentence_count);
    CHECK(s.calibration.prompts()[1].label == 0);  // both sentences of a label first
    take(s, ser::test::test_audio(2.0, 48000), clock);
    REQUIRE(s.calibration.takes().size() == 1);
    CHECK(s.calibration.takes()[0].label == 0);
    CHECK(s.calibration.takes()[0].samples.size() == 2 * 48000);
    CHECK_FALSE(s.calibration.message_is_error());
    CHECK(s.calibration.current_prompt() == 1);  // on to the next prompt

    s.calibration.select_prompt(0);
    take(s, ser::test::test_audio(1.5, 48000, 9), clock);  // a redo of prompt 0
    REQUIRE(s.calibration.takes().size() == 1);
    CHECK(s.calibration.takes()[0].samples.size() == 72000);
    CHECK(s.calibration.current_prompt() == 1);

    // A take stops by itself at its maximum length.
    CHECK_FALSE(calibration_record(s));
    feed(s, ser::test::test_audio(calibration_max_take_s + 1.0, 48000), clock);
    CHECK(s.calibration.phase() == CalibrationPhase::collecting);
    REQUIRE(s.calibration.takes().size() == 2);
    CHECK(s.calibration.takes()[1].samples.size() == static_cast<std::size_t>(calibration_max_take_s * rate));
}

TEST_CASE("silent, speechless and short takes are refused with the reason; the other takes stay") {
    double clock = 0.0;
    Session s = calibrating(clock);
    take(s, ser::test::test_audio(2.0, 48000), clock);
    REQUIRE(s.calibration.takes().size() == 1);

    take(s, std::vector<float>(96000, 0.0f), clock);
    CHECK(s.calibration.takes().size() == 1);
    CHECK(s.calibration.message_is_error());
    CHECK(s.calibration.message().find("was silent") != std::string::npos);
    CHECK(s.calibration.message().find("1 other take is unchanged") != std::string::npos);

    take(s, steady_tone(2.0), clock);
    CHECK(s.calibration.takes().size() == 1);
    CHECK(s.calibration.message().find("no speech") != std::string::npos);

    take(s, ser::test::test_audio(0.2, 48000), clock);
    CHECK(s.calibration.takes().size() == 1);
    CHECK(s.calibration.message().find("too short") != std::string::npos);
}

TEST_CASE("uploaded clips take the label they were chosen for, checked like takes") {
    double clock = 0.0;
    Session s = calibrating(clock);
    s.calibration.add_upload("a.wav", 2, 16000.0f, ser::test::test_audio(2.0, 16000));
    s.calibration.add_upload("b.wav", 2, 16000.0f, std::vector<float>(32000, 0.0f));
    REQUIRE(s.calibration.takes().size() == 1);
    CHECK(s.calibration.takes()[0].label == 2);
    CHECK(s.calibration.takes()[0].source == "a.wav");
    CHECK(s.calibration.message().find("The clip b.wav (\"sad\") was silent") != std::string::npos);
    CHECK(s.calibration.current_prompt() == 0);  // uploads leave the prompt where it is
    CHECK_THROWS_AS(s.calibration.add_upload("c.wav", 3, 16000.0f, ser::test::test_audio(2.0, 16000)), std::invalid_argument);
}

TEST_CASE("the microphone failing mid-take discards that take only; Record with it off waits for it") {
    double clock = 0.0;
    Session s = calibrating(clock);
    take(s, ser::test::test_audio(2.0, 48000), clock);
    CHECK_FALSE(calibration_record(s));
    feed(s, ser::test::test_audio(1.0, 48000), clock);
    mic_state_changed(s, MicState::failed, 0.0f, "Microphone access was denied.", clock);
    CHECK(s.calibration.phase() == CalibrationPhase::collecting);
    CHECK(s.calibration.takes().size() == 1);
    CHECK(s.calibration.message().find("Microphone access was denied.") != std::string::npos);
    CHECK(s.calibration.message().find("1 earlier take is kept") != std::string::npos);

    CHECK(calibration_record(s));  // the page must start the microphone
    CHECK(s.calibration.phase() == CalibrationPhase::waiting_for_mic);
    mic_state_changed(s, MicState::running, rate, "", clock);
    CHECK(s.calibration.phase() == CalibrationPhase::recording);
    feed(s, ser::test::test_audio(2.0, 48000, 11), clock);
    s.calibration.stop_take();
    CHECK(s.calibration.takes().size() == 2);
}

TEST_CASE("the worker's answer is read back and drawn as before/after over the covered labels") {
    ser::AdaptResult r;
    r.base_uar = 0.25;
    r.adapted_uar = 0.75;
    r.base_log_likelihood = -1.2;
    r.adapted_log_likelihood = -0.6;
    r.strength = 0.5;
    r.base_predicted = {2, 2, 0, 1};
    r.adapted_predicted = {0, 0, 2, 1};
    r.warnings = {"the clips cover 2 of the model's 3 labels"};
    const std::vector<std::string> labels = {"neutral", "happy", "sad"};
    const CalibrationSummary s = parse_calibration_summary(
        calibration_summary_json(calibration_summary(r, {0, 0, 2, 2}, labels, 1.5)));
    CHECK(s.base_uar == 0.25);
    CHECK(s.adapted_uar == 0.75);
    CHECK(s.adapted_log_likelihood == -0.6);
    CHECK(s.better_or_equal);
    CHECK(s.strength == 0.5);
    CHECK(s.warnings.size() == 1);
    CHECK(s.seconds == 1.5);
    std::vector<std::string> covered;
    const auto before = calibration_confusion(s, false, covered);
    CHECK(covered == std::vector<std::string>{"neutral", "sad"});
    CHECK(before == std::vector<std::vector<double>>{{0.0, 1.0}, {0.5, 0.0}});  // a "happy" prediction counts in no column
    CHECK(calibration_confusion(s, true, covered) == std::vector<std::vector<double>>{{1.0, 0.0}, {0.0, 0.5}});

    CHECK_THROWS_AS(parse_calibration_summary("{\"labels\": []}"), std::invalid_argument);
    CHECK_THROWS_AS(parse_calibration_summary(R"({"labels":["a"],"clip_labels":[3],"base_predicted":[0],"adapted_predicted":[0],
        "base_uar":0,"adapted_uar":0,"base_log_likelihood":0,"adapted_log_likelihood":0,"better_or_equal":true,"strength":1,"warnings":[],"seconds":0})"), std::invalid_argument);
}
