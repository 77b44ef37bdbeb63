// `ser features` as a user runs it: a 32-bit float WAV holding a golden file's samples must
// reproduce that golden through the command, for both golden configs.

#include <doctest/doctest.h>

#include <sndfile.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "../features/golden_support.h"
#include "../io/sndfile_writer.h"
#include "support/test_support.h"

using nlohmann::json;

namespace {

struct Run {
    int status = -1;
    std::string out;
};

// Runs `ser` with the arguments; stdout captured, stderr appended to it after a marker.
Run run_ser(const std::string& arguments, const std::filesystem::path& scratch) {
    const auto err = scratch / "stderr.txt";
    const std::string command = std::string(SER_BINARY) + " " + arguments + " 2>" + err.string();
    Run run;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 65536> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err);
    run.out += "\n--stderr--\n" + std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return run;
}

json parse_output(const Run& run) {
    const auto end = run.out.find("\n--stderr--\n");
    return json::parse(run.out.substr(0, end));
}

double worst_relative(const json& actual, const json& expected) {
    double worst = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const double want = expected[i].get<double>();
        const double got = actual[i].get<double>();
        worst = std::max(worst, want == 0.0 ? std::fabs(got) : std::fabs(got - want) / std::fabs(want));
    }
    return worst;
}

void flatten(const json& value, std::vector<double>& out) {
    if (value.is_array()) {
        for (const auto& v : value) flatten(v, out);
    } else {
        out.push_back(value.get<double>());
    }
}

double worst_absolute(const json& actual, const json& expected) {
    std::vector<double> a, e;
    flatten(actual, a);
    flatten(expected, e);
    REQUIRE(a.size() == e.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < e.size(); ++i) worst = std::max(worst, std::fabs(a[i] - e[i]));
    return worst;
}

}  // namespace

TEST_SUITE("cli.features") {

TEST_CASE("ser features reproduces every golden file from a float WAV of its samples") {
    SER_REQUIRE_SHARED("golden/librosa-0.11.0");
    ser::test::TempDir dir;
    for (const auto& name : ser::test::golden_names) {
        CAPTURE(name);
        const json golden = ser::test::load_golden(name);
        const auto samples = ser::test::golden_samples(golden);
        const int rate = golden.at("config").at("sr").get<int>();
        const auto wav = dir / (name + ".wav");
        ser::test::write_audio(wav, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, rate, samples);
        const bool librosa = rate == 22050;
        const std::string preset =
            librosa ? "librosa" : (ser::test::source_dir() / "tests/features/data/speech16k.json").string();
        const Run run = run_ser("features " + wav.string() + " --preset " + preset, dir / "");
        INFO(run.out.substr(run.out.size() > 400 ? run.out.size() - 400 : 0));
        REQUIRE(run.status == 0);
        const json out = parse_output(run);
        CHECK(out.at("sample_rate") == rate);
        CHECK(out.at("n_frames") == golden.at("n_frames"));
        const json& f = out.at("features");
        CHECK(f.size() == 6);
        for (const char* key : {"mel_power", "mel_db", "mfcc", "chroma", "zcr", "rms"}) CHECK(f.contains(key));

        double power = 0.0;
        for (std::size_t r = 0; r < golden.at("mel_power").size(); ++r)
            power = std::max(power, worst_relative(f.at("mel_power")[r], golden.at("mel_power")[r]));
        CHECK(power <= 1e-4);
        CHECK(worst_absolute(f.at("mel_db"), golden.at("mel_db")) <= 1e-3);
        CHECK(worst_absolute(f.at("mfcc"), golden.at("mfcc")) <= 1e-3);
        CHECK(worst_absolute(f.at("chroma"), golden.at("chroma_power_estimated_tuning")) <= 1e-4);
        CHECK(worst_absolute(f.at("zcr"), golden.at("zcr")) <= 1e-5);
        CHECK(worst_absolute(f.at("rms"), golden.at("rms")) <= 1e-5);
        REQUIRE(out.at("recipe162").size() == 162);
        if (!golden.at("recipe162").is_null()) CHECK(worst_relative(out.at("recipe162"), golden.at("recipe162")) <= 1e-3);
    }
}

TEST_CASE("ser features resamples to the preset's rate and prints CSV on request") {
    ser::test::TempDir dir;
    std::vector<float> tone(48000);
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>(0.3 * std::sin(0.05 * static_cast<double>(i)));
    const auto wav = dir / "48k.wav";
    ser::test::write_audio(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 48000, tone);
    const Run json_run = run_ser("features " + wav.string(), dir / "");
    REQUIRE(json_run.status == 0);
    const json out = parse_output(json_run);
    CHECK(out.at("sample_rate") == 16000);
    CHECK(out.at("n_frames") == 98);  // 16000 samples, 400-sample frames every 160
    CHECK(out.at("features").at("mel_db").size() == 64);
    CHECK(out.at("features").at("mel_db")[0].size() == 98);

    const Run csv = run_ser("features " + wav.string() + " --format csv", dir / "");
    REQUIRE(csv.status == 0);
    CHECK(csv.out.rfind("feature,bin,frame,value\nmel_power,0,0,", 0) == 0);
    CHECK(csv.out.find("\nrecipe162,161,,") != std::string::npos);
}

TEST_CASE("ser features and ser predict refuse samples that are not usable audio, and take float headroom") {
    ser::test::TempDir dir;
    const std::string model = (ser::test::source_dir() / "weights/default.json").string();
    struct Case {
        const char* name;
        float value;
        const char* message;  // empty: accepted
    };
    const Case cases[] = {{"huge", 1e30f, "sample 5000 is 1e+30"},
                          {"large", 1e10f, "sample 5000 is 1e+10"},
                          {"nan", std::nanf(""), "sample 5000 is NaN"},
                          {"headroom", 1.5f, ""}};
    for (const Case& c : cases) {
        CAPTURE(c.name);
        std::vector<float> pcm(22050);
        for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<float>(0.3 * std::sin(0.07 * static_cast<double>(i)));
        pcm[5000] = c.value;
        const auto wav = dir / (std::string(c.name) + ".wav");
        ser::test::write_audio(wav, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 22050, pcm);
        for (const std::string& command : {"features " + wav.string() + " --preset librosa",
                                          "predict --model " + model + " --format json " + wav.string()}) {
            CAPTURE(command);
            const Run run = run_ser(command, dir / "");
            INFO(run.out.substr(run.out.size() > 400 ? run.out.size() - 400 : 0));
            if (*c.message) {
                CHECK(run.status != 0);
                CHECK(run.out.find(wav.string()) != std::string::npos);
                CHECK(run.out.find(c.message) != std::string::npos);
                CHECK(run.out.find("inf") == std::string::npos);
            } else {
                REQUIRE(run.status == 0);
                CHECK_NOTHROW(parse_output(run));  // valid JSON, every number finite
            }
        }
    }
}

TEST_CASE("ser features fails with a message naming the problem") {
    ser::test::TempDir dir;
    const Run missing = run_ser("features " + (dir / "nope.wav").string(), dir / "");
    CHECK(missing.status != 0);
    CHECK(missing.out.find("nope.wav: no such file") != std::string::npos);

    std::vector<float> tone(1600, 0.1f);
    ser::test::write_audio(dir / "ok.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, tone);
    const Run preset = run_ser("features " + (dir / "ok.wav").string() + " --preset fancy", dir / "");
    CHECK(preset.status != 0);
    CHECK(preset.out.find("\"fancy\" is neither a preset") != std::string::npos);

    std::ofstream(dir / "bad.json") << R"({"mel": {"n_mel": 40}})";
    const Run config = run_ser("features " + (dir / "ok.wav").string() + " --preset " + (dir / "bad.json").string(), dir / "");
    CHECK(config.status != 0);
    CHECK(config.out.find("unknown key \"mel.n_mel\"") != std::string::npos);

    const Run format = run_ser("features " + (dir / "ok.wav").string() + " --format xml", dir / "");
    CHECK(format.status != 0);
}

}
