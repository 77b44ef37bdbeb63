#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "analysis/result_json.h"
#include "app/state/clip_list.h"
#include "app/state/clip_report.h"

using namespace ser::app;

namespace {

// A finished analysis of two windows over three labels, the second window without speech.
ser::StreamedClip two_windows() {
    ser::StreamedClip a;
    a.seconds = 2.5;
    a.result.duration_s = 2.5;
    a.result.speech_s = 2.5;
    a.result.probabilities = {0.2f, 0.7f, 0.1f};
    a.result.label = 1;
    ser::WindowResult w1;
    w1.start_s = 0.0;
    w1.end_s = 2.0;
    w1.probabilities = {0.1f, 0.8f, 0.1f};
    w1.activity.is_speech = true;
    ser::WindowResult w2 = w1;
    w2.start_s = 0.5;
    w2.end_s = 2.5;
    w2.probabilities = {0.3f, 0.6f, 0.1f};
    w2.activity.is_speech = false;
    a.result.windows = {w1, w2};
    return a;
}

const std::vector<std::string> labels = {"angry", "calm", "sad, \"very\""};

}  // namespace

TEST_CASE("the JSON report has ser predict's fields and reads back into what the UI shows") {
    const ClipSource source{"voice.flac", "default.json", 16000.0, 12.5};
    const std::string text = clip_report_json(source, two_windows(), labels);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["file"] == "voice.flac");
    CHECK(j["label"] == "calm");
    CHECK(j["probabilities"]["calm"].get<double>() == doctest::Approx(0.7));
    REQUIRE(j["timeline"].size() == 2);
    CHECK(j["timeline"][1]["start_s"] == 0.5);
    CHECK(j["timeline"][1]["speech"] == false);
    CHECK(j["browser"]["sample_rate"] == 16000.0);

    const ClipReport r = parse_clip_report(text);
    CHECK(r.labels == labels);
    CHECK(r.label == 1);
    CHECK(r.probabilities == std::vector<float>{0.2f, 0.7f, 0.1f});
    REQUIRE(r.windows() == 2);
    CHECK(r.end_s[1] == 2.5);
    CHECK(r.speech == std::vector<unsigned char>{1, 0});
    CHECK(r.window_probabilities[3 + 1] == 0.6f);
    CHECK(r.seconds == 2.5);
    CHECK(r.analysis_ms == 12.5);
    CHECK(r.exact);
    CHECK(r.note.empty());
}

TEST_CASE("the page shows the result's own note (no speech, little speech) and the browser's, one per line") {
    ser::StreamedClip fan = two_windows();
    fan.result.speech_windows = 0;
    fan.note = "analysed window by window";
    const ClipReport r = parse_clip_report(clip_report_json({"fan.wav", "m", 16000.0, 1.0}, fan, labels));
    CHECK(r.note == ser::clip_result_note(fan.result) + "\nanalysed window by window");
    CHECK(r.note.find("no speech found") == 0);
}

TEST_CASE("the CSV report is ser predict's: a clip row and a row per window, quoted where needed") {
    const std::string csv = clip_report_csv({"voice.flac", "m", 16000.0, 1.0}, two_windows(), labels);
    CHECK(csv.rfind("file,scope,start_s,end_s,speech,label,angry,calm,\"sad, \"\"very\"\"\",error\r\n", 0) == 0);
    CHECK(csv.find("voice.flac,clip,0,2.5,,calm,0.200000003,0.699999988,0.100000001,\r\n") != std::string::npos);
    CHECK(csv.find("voice.flac,window,0.5,2.5,0,calm,") != std::string::npos);
    std::size_t rows = 0;
    for (char c : csv) rows += c == '\n';
    CHECK(rows == 4);
}

TEST_CASE("a report that is damaged or incomplete is refused with what is wrong") {
    CHECK_THROWS_WITH_AS(parse_clip_report("{"), doctest::Contains("not valid JSON"), std::invalid_argument);
    auto j = nlohmann::json::parse(clip_report_json({"a.wav", "m", 8000.0, 1.0}, two_windows(), labels));
    auto without = [&](auto edit) {
        auto copy = j;
        edit(copy);
        return copy.dump();
    };
    CHECK_THROWS_WITH_AS(parse_clip_report(without([](auto& c) { c.erase("timeline"); })), doctest::Contains("timeline"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_clip_report(without([](auto& c) { c["label"] = "happy"; })),
                         doctest::Contains("not one of its labels"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_clip_report(without([](auto& c) { c["probabilities"].erase("calm"); })),
                         doctest::Contains("'calm'"), std::invalid_argument);
    CHECK_THROWS_AS(parse_clip_report(without([](auto& c) { c["timeline"][0]["end_s"] = "late"; })), std::invalid_argument);
}

TEST_CASE("a clip goes queued, analysing, done; late progress after a cancel is ignored") {
    ClipList list;
    const int a = list.add("a.wav", 1000);
    const int b = list.add("b.mp3", 2000);
    CHECK(list.clips()[0].state == ClipState::queued);
    list.started(a, "wav", 44100.0f, 3.0);
    list.progress(a, 1.5, 0.5f, 32.0 * 1024 * 1024);
    CHECK(list.find(a)->fraction == 0.5f);
    CHECK(list.find(a)->worker_heap_mb == 32.0);
    CHECK_THROWS_AS(list.started(a, "wav", 44100.0f, 3.0), std::invalid_argument);
    list.done(a, clip_report_json({"a.wav", "m", 44100.0, 1.0}, two_windows(), labels));
    CHECK(list.find(a)->state == ClipState::done);
    CHECK(list.selected() == a);

    list.started(b, "mp3", 48000.0f, 0.0);
    list.cancelled(b);
    list.progress(b, 9.0, 0.9f, 0.0);
    CHECK(list.find(b)->state == ClipState::cancelled);
    CHECK(list.find(b)->fraction == 0.0f);
    CHECK_THROWS_AS(list.done(b, "{}"), std::invalid_argument);
    list.select(b);  // not done: the selection stays
    CHECK(list.selected() == a);
    CHECK_THROWS_WITH_AS(list.failed(9, "x"), doctest::Contains("no clip with id 9"), std::invalid_argument);
    CHECK(list.find(9) == nullptr);
}
