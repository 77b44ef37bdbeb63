#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <string>

#include "features/feature_config.h"
#include "features/feature_extractor.h"
#include "fuzz/fuzz_corpus.h"

using namespace ser;
using nlohmann::json;

TEST_SUITE("features.config") {

TEST_CASE("every preset survives a JSON round trip and validates") {
    for (const auto& name : feature_preset_names()) {
        CAPTURE(name);
        const FeatureConfig preset = feature_preset(name);
        CHECK_NOTHROW(validate(preset));
        const json j = to_json(preset);
        CHECK(feature_config_from_json(j) == preset);
        CHECK(feature_config_from_json(json::parse(j.dump())) == preset);  // through text too
        CHECK(to_json(feature_config_from_json(j)) == j);
    }
    CHECK_THROWS_WITH_AS(feature_preset("librosa2"), doctest::Contains("librosa, default, recipe162"), std::invalid_argument);
}

TEST_CASE("the librosa preset is librosa 0.11's defaults; recipe162 is the popular recipe") {
    const FeatureConfig c = feature_preset("librosa");
    CHECK(c.sample_rate == 22050);
    CHECK(c.stft.n_fft == 2048);
    CHECK(c.stft.win_length == 2048);
    CHECK(c.stft.hop_length == 512);
    CHECK(c.stft.center);
    CHECK(c.stft.pad_mode == PadMode::constant);
    CHECK(c.mel.n_mels == 128);
    CHECK(!c.mel.fmax);
    CHECK(c.mfcc.n_mfcc == 20);
    CHECK(!c.chroma.tuning);
    CHECK(c.chroma.input == ChromaInput::power);
    CHECK(c.db.span == DbSpan::clip);
    const FeatureConfig r = feature_preset("recipe162");
    CHECK(r.chroma.input == ChromaInput::magnitude);
    CHECK(r.input.pooling == Pooling::mean);
    CHECK(FeatureExtractor(r).channels() == 162);
}

TEST_CASE("the default preset keeps every frame to its own samples") {
    const FeatureConfig c = feature_preset("default");
    CHECK(c.sample_rate == 16000);
    CHECK(!c.stft.center);
    CHECK(c.stft.win_length == 400);   // 25 ms
    CHECK(c.stft.hop_length == 160);   // 10 ms
    CHECK(c.db.span == DbSpan::frame);
    CHECK(c.chroma.tuning.has_value());
    CHECK(c.input.pooling == Pooling::none);
}

TEST_CASE("missing keys take librosa's defaults, derived as librosa derives them") {
    const FeatureConfig c = feature_config_from_json(json::object());
    CHECK(c == FeatureConfig{});
    const FeatureConfig small = feature_config_from_json(json::parse(R"({"sample_rate": 16000, "stft": {"n_fft": 512}})"));
    CHECK(small.stft.win_length == 512);
    CHECK(small.stft.hop_length == 128);
    CHECK(small.zcr.frame_length == 512);
    CHECK(small.rms.frame_length == 512);
    const FeatureConfig framed = feature_config_from_json(json::parse(R"({"stft": {"center": false}})"));
    CHECK(!framed.zcr.center);
    CHECK(!framed.rms.center);
    CHECK(feature_config_from_json(json::parse(R"({"chroma": {"tuning": 0.25}})")).chroma.tuning == 0.25);
    CHECK(!feature_config_from_json(json::parse(R"({"chroma": {"tuning": "estimate"}})")).chroma.tuning);
    CHECK(feature_config_from_json(json::parse(R"({"mel": {"fmax": null}})")).mel.fmax == std::nullopt);
    CHECK(!feature_config_from_json(json::parse(R"({"db": {"top_db": null}})")).db.top_db);
}

TEST_CASE("an unknown key or a wrong type is an error naming the key") {
    auto error_of = [](const char* text) -> std::string {
        try {
            feature_config_from_json(json::parse(text));
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(error_of(R"({"sample_rte": 16000})").find("\"sample_rte\"") != std::string::npos);
    CHECK(error_of(R"({"mel": {"n_mel": 40}})").find("\"mel.n_mel\"") != std::string::npos);
    CHECK(error_of(R"({"mel": {"n_mels": "forty"}})").find("mel.n_mels must be an integer") != std::string::npos);
    CHECK(error_of(R"({"mel": {"n_mels": 40.5}})").find("mel.n_mels") != std::string::npos);
    CHECK(error_of(R"({"stft": {"window": "kaiser"}})").find("stft.window must be one of") != std::string::npos);
    CHECK(error_of(R"({"stft": 512})").find("\"stft\" must be a JSON object") != std::string::npos);
    CHECK(error_of(R"([1, 2])").find("must be a JSON object") != std::string::npos);
    CHECK(error_of(R"({"input": {"features": ["mfcc", "jitter"]}})").find("\"jitter\"") != std::string::npos);
    CHECK(error_of(R"({"input": {"features": ["mfcc_delta"]}})").find("\"mfcc_delta\"") != std::string::npos);
    CHECK(error_of(R"({"chroma": {"tuning": "auto"}})").find("chroma.tuning") != std::string::npos);
    CHECK(error_of(R"({"input": {"pooling": "max"}})").find("input.pooling") != std::string::npos);
}

TEST_CASE("validation names the rule a value breaks") {
    auto error_of = [](FeatureConfig c) -> std::string {
        try {
            validate(c);
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "no error";
    };
    FeatureConfig c;
    c.stft.n_fft = 511;
    CHECK(error_of(c).find("stft.n_fft 511 must be even") != std::string::npos);
    c = {};
    c.stft.win_length = 4096;
    CHECK(error_of(c).find("stft.win_length") != std::string::npos);
    c = {};
    c.mel.fmax = 20000.0;
    CHECK(error_of(c).find("mel.fmax") != std::string::npos);
    c = {};
    c.mfcc.n_mfcc = 200;
    CHECK(error_of(c).find("mfcc.n_mfcc") != std::string::npos);
    c = {};
    c.deltas.width = 4;
    CHECK(error_of(c).find("deltas.width") != std::string::npos);
    c = {};
    c.stft.center = false;
    CHECK(error_of(c).find("zcr.center and rms.center must equal stft.center") != std::string::npos);
    c.zcr.center = c.rms.center = false;
    c.zcr.frame_length = 1024;
    CHECK(error_of(c).find("zcr.frame_length and rms.frame_length must equal stft.n_fft") != std::string::npos);
    c = {};
    c.input.features = {"mfcc", "mfcc"};
    CHECK(error_of(c).find("twice") != std::string::npos);
    c = {};
    c.sample_rate = 0;
    CHECK(error_of(c).find("sample_rate") != std::string::npos);
    c = {};
    c.db.amin = 0.0;
    CHECK(error_of(c).find("db.amin") != std::string::npos);
    c = {};
    c.deltas.order = 2;
    c.input.features = {"mfcc", "mfcc_delta", "mfcc_delta2"};
    CHECK(error_of(c) == "no error");
    c = {};
    c.stft.n_fft = 3;
    CHECK_THROWS_AS(FeatureExtractor{c}, std::invalid_argument);
}

TEST_CASE("property: mutated configs parse to a valid config or fail cleanly") {
    const json base = to_json(feature_preset("default"));
    const std::vector<json> replacements = {json(nullptr), json(-1),         json(0),    json(1),  json(3),
                                            json(1e300),   json(-0.5),       json("x"),  json(true),
                                            json::array(), json::object(),   json(400),  json(1e-12),
                                            json("hann"),  json("reflect"),  json("mean"), json({"mfcc"})};
    std::mt19937 rng(7);
    int valid = 0, rejected = 0;
    for (int trial = 0; trial < 600; ++trial) {
        json config = base;
        // Pick a random key path (a section's field or a top-level key) and replace its value,
        // delete it, or add an unknown sibling.
        auto sections = config.items();
        std::vector<std::string> top;
        for (const auto& item : sections) top.push_back(item.key());
        const std::string section = top[rng() % top.size()];
        json* target = &config[section];
        std::string key = section;
        if (target->is_object() && !target->empty() && rng() % 4 != 0) {
            std::vector<std::string> inner;
            for (const auto& item : target->items()) inner.push_back(item.key());
            key = inner[rng() % inner.size()];
            json& parent = *target;
            switch (rng() % 3) {
                case 0: parent[key] = replacements[rng() % replacements.size()]; break;
                case 1: parent.erase(key); break;
                default: parent[key + "_typo"] = 1; break;
            }
        } else {
            config[section] = replacements[rng() % replacements.size()];
        }
        try {
            const FeatureConfig parsed = feature_config_from_json(config);
            validate(parsed);
            FeatureExtractor extractor(parsed);
            FeatureMatrix out;
            std::vector<float> pcm(4000, 0.01f);
            pcm[100] = 0.5f;
            extractor.compute(pcm, out);
            for (float v : out.values)
                if (!std::isfinite(v)) FAIL("non-finite feature from config " << config.dump());
            ++valid;
        } catch (const std::invalid_argument&) {
            ++rejected;
        }
    }
    CHECK(valid > 0);
    CHECK(rejected > 0);
}

TEST_CASE("the libFuzzer corpus (seeds and past findings) parses and round-trips, or fails with invalid_argument") {
    int accepted = 0;
    for (const auto& file : test::fuzz_corpus("feature_config")) {
        CAPTURE(file.string());
        const json j = json::parse(test::read_corpus_file(file), nullptr, false);
        if (j.is_discarded()) continue;  // not JSON: nlohmann refuses it before our code runs
        try {
            const FeatureConfig config = feature_config_from_json(j);
            CHECK(feature_config_from_json(to_json(config)) == config);
            ++accepted;
        } catch (const std::invalid_argument&) {
        }
    }
    CHECK(accepted >= 5);  // the seeds are valid configs
}

}
