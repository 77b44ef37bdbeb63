#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "app/diagnostics.h"

using namespace ser::app;

TEST_CASE("diagnostics report the streams, clips and controls in CSS pixels") {
    AudioIntake in;
    in.set_mic_state(MicState::running, 48000.0f, "");
    const std::vector<float> block(960, 0.5f);
    in.push_mic(block, 48000.0f);
    const int id = in.add_clip("caf\xc3\xa9 \"quoted\".wav");
    in.fail_clip(id, "could not be decoded");
    in.add_clip("bad \xff byte.wav");  // not UTF-8: reported with a replacement character
    ItemRects items;
    items.record("Start microphone", {20.0f, 40.0f, 200.0f, 60.0f});
    const DisplayInfo display{800, 600, 1600, 1200, 2.0f};

    const auto j = nlohmann::json::parse(diagnostics_json({in, items, display, 42}));
    CHECK(j["frames"] == 42);
    CHECK(j["mic"]["state"] == "running");
    CHECK(j["mic"]["rate"] == 48000.0);
    CHECK(j["mic"]["samples"] == 960);
    CHECK(j["mic"]["level_dbfs"].get<double>() == doctest::Approx(-6.0206).epsilon(1e-4));
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
    CHECK(j["error"] == "");
}
