#include <doctest/doctest.h>

#include "analysis/result_json.h"

using namespace ser;

TEST_SUITE("analysis.result_json") {

namespace {

const std::vector<std::string> labels = {"calm", "sad, \"very\""};

ClipResult two_windows() {
    ClipResult r;
    r.probabilities = {0.25f, 0.75f};
    r.label = 1;
    r.duration_s = 2.5;
    r.speech_s = 1.5;
    WindowResult a{0.0, 2.0, {0.5f, 0.5f}, {}};
    a.activity.is_speech = true;
    WindowResult b{0.5, 2.5, {0.125f, 0.875f}, {}};
    r.windows = {a, b};
    return r;
}

}  // namespace

TEST_CASE("a clip's JSON record has the keys `ser predict --format json` always had, plus its duration") {
    const auto j = clip_result_json("a.wav", two_windows(), labels, false);
    CHECK(j.dump() == R"({"duration_s":2.5,"file":"a.wav","label":"sad, \"very\"","probabilities":{"calm":0.25,"sad, \"very\"":0.75},"speech_s":1.5})");
    const auto t = clip_result_json("a.wav", two_windows(), labels, true);
    REQUIRE(t["timeline"].size() == 2);
    CHECK(t["timeline"][0].dump() == R"({"end_s":2.0,"probabilities":{"calm":0.5,"sad, \"very\"":0.5},"speech":true,"start_s":0.0})");
    CHECK(t["timeline"][1]["speech"] == false);
}

TEST_CASE("a result resting on under a second of speech says so") {
    ClipResult r = two_windows();
    r.speech_s = 0.3;
    const auto j = clip_result_json("word.wav", r, labels, false);
    CHECK(j["note"] == "only 0.30 s of speech: the answer rests on little audio");
    CHECK_FALSE(clip_result_json("a.wav", two_windows(), labels, false).contains("note"));
}

TEST_CASE("a result where no window held speech says its label is not about a voice; a short word says it is short") {
    ClipResult r = two_windows();
    r.speech_windows = 0;
    CHECK(clip_result_note(r).find("no speech found") == 0);
    CHECK(clip_result_json("fan.wav", r, labels, false)["note"] == clip_result_note(r));
    r.speech_s = 0.3;  // too short for the voice-activity step to judge
    CHECK(clip_result_note(r).find("only 0.30 s") == 0);
    r.speech_windows = -1;  // not judged: nothing claimed
    r.speech_s = 2.0;
    CHECK(clip_result_note(r).empty());
}

TEST_CASE("a failed file is its name and the error; a JSON line is one line, whatever bytes a name holds") {
    CHECK(failed_file_json("x.wav", "cannot read").dump() == R"({"error":"cannot read","file":"x.wav"})");
    const std::string line = json_line(failed_file_json("bad\xff\nname.wav", "e"));
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
}

TEST_CASE("CSV: a column per label, a row per clip and per window, quoted fields, and failed rows of the same width") {
    CHECK(result_csv_header(labels) == "file,scope,start_s,end_s,speech,label,calm,\"sad, \"\"very\"\"\",error\r\n");
    CHECK(clip_result_csv("a,b.wav", two_windows(), labels, false) == "\"a,b.wav\",clip,0,2.5,,\"sad, \"\"very\"\"\",0.25,0.75,\r\n");
    const std::string rows = clip_result_csv("a.wav", two_windows(), labels, true);
    CHECK(rows.find("a.wav,window,0,2,1,calm,0.5,0.5,\r\n") != std::string::npos);  // a tie goes to the first label
    CHECK(rows.find("a.wav,window,0.5,2.5,0,\"sad, \"\"very\"\"\",0.125,0.875,\r\n") != std::string::npos);
    const std::string failed = failed_file_csv("x.wav", "no, such file", labels);
    CHECK(failed == "x.wav,clip,,,,,,,\"no, such file\"\r\n");
}

}
