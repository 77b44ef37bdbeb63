#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "app/state/clip_report.h"
#include "app/state/diagnostics.h"
#include "app_test_models.h"

using namespace ser::app;

TEST_CASE("diagnostics report the model, microphone, clips and controls in CSS pixels") {
    Session s;
    s.model.set_missing("not found");
    mic_state_changed(s, MicState::running, 48000.0f, "", 0.0);
    const std::vector<float> block(960, 0.5f);
    mic_samples(s, block, 48000.0f, 20.0);
    const int id = s.clips.add("caf\xc3\xa9 \"quoted\".wav", 10);
    s.clips.failed(id, "could not be decoded");
    s.clips.add("bad \xff byte.wav", 20);  // not UTF-8: reported with a replacement character
    s.items.record("Start microphone", {20.0f, 40.0f, 200.0f, 60.0f});
    s.display = {800, 600, 1600, 1200, 2.0f};
    s.frames.tick(0.0);
    s.frames.tick(20.0);

    const auto j = nlohmann::json::parse(diagnostics_json(s));
    CHECK(j["frames"] == 2);
    CHECK(j["fps"].get<double>() == doctest::Approx(50.0));
    CHECK(j["model"]["status"] == "missing");
    CHECK(j["model"]["missing"] == "not found");
    CHECK(j["mic"]["state"] == "running");
    CHECK(j["mic"]["rate"] == 48000.0);
    CHECK(j["mic"]["samples"] == 960);
    CHECK(j["mic"]["recorded_samples"] == 960);
    CHECK(j["mic"]["level_dbfs"].get<double>() == doctest::Approx(-6.0206).epsilon(1e-4));
    CHECK(j["live"].is_null());
    CHECK(j["spectrogram"]["bands"] == 64);
    REQUIRE(j["clips"].size() == 2);
    CHECK(j["clips"][0]["name"] == "caf\xc3\xa9 \"quoted\".wav");
    CHECK(j["clips"][0]["state"] == "failed");
    CHECK(j["clips"][0]["message"] == "could not be decoded");
    CHECK(j["clips"][1]["name"] == "bad \xef\xbf\xbd byte.wav");
    const auto& button = j["items"]["Start microphone"];
    CHECK(button["x"] == 10.0);
    CHECK(button["y"] == 20.0);
    CHECK(button["width"] == 100.0);
    CHECK(button["height"] == 30.0);
    CHECK(j["display"]["framebuffer"] == nlohmann::json::array({1600, 1200}));
    CHECK(j["controls"]["smoothing_s"] == 1.0);
    CHECK(j["error"] == "");
    CHECK(live_timeline_json(s) == "null");
}

TEST_CASE("the live timeline export holds every hop with its labels") {
    Session s;
    REQUIRE(s.model.load("m.json", ser::save_model(ser::test::frame_model())));
    mic_state_changed(s, MicState::running, 16000.0f, "", 0.0);
    const std::vector<float> pcm = ser::test::test_audio(3.0, 16000);
    mic_samples(s, pcm, 16000.0f, 3000.0);
    const auto j = nlohmann::json::parse(live_timeline_json(s));
    CHECK(j["labels"].size() == 4);
    CHECK(j["input_rate"] == 16000);
    REQUIRE(j["points"].size() == 9);  // 1.0 to 3.0 s at equal rates: no resampler delay
    CHECK(j["points"][8]["end_s"] == 3.0);
    const auto& p = j["points"][8];
    if (p["speech"] == true) CHECK(p["probabilities"].size() == 4);
    else CHECK(p["probabilities"].is_null());
    const auto d = nlohmann::json::parse(diagnostics_json(s));
    CHECK(d["live"]["results"] == 9);
    CHECK(d["live"]["first_result_ms"] == 3000.0);  // the block that brought the first second
    CHECK(d["model"]["labels"].size() == 4);
}
