#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>

#include "nn/rng.h"
#include "training/augment/pipeline.h"
#include "training_test_support.h"

using namespace ser;

namespace {

const char* full_config = R"({"steps": [
  {"type": "pitch", "probability": 0.5, "semitones": [-2, 2]},
  {"type": "stretch", "probability": 0.5, "factor": [0.9, 1.1]},
  {"type": "reverb", "probability": 0.5, "rt60_s": [0.2, 0.6], "drr_db": [0, 10]},
  {"type": "noise", "probability": 0.8, "snr_db": [10, 30], "sources": ["white", "pink", "brown", "recording"]},
  {"type": "gain", "probability": 0.5, "db": [-6, 6]},
  {"type": "shift", "probability": 0.5, "seconds": [-0.1, 0.1], "mode": "padded"}]})";

AugmentationPipeline make_pipeline(const char* json) {
    nn::Rng rng(1);
    std::vector<float> noise(8000);
    for (auto& v : noise) v = static_cast<float>(rng.normal());
    return AugmentationPipeline(augmentation_config_from_json(nlohmann::json::parse(json)), 16000, {noise});
}

}  // namespace

TEST_CASE("the augmentation pipeline is deterministic given a seed, and seeds differ") {
    const auto pipeline = make_pipeline(full_config);
    const auto clip = test::harmonic_tone(150.0, 6, 0.8, 16000);
    int changed = 0;
    for (std::uint64_t item = 0; item < 12; ++item) {
        const std::uint64_t seed = augmentation_seed(1234, 3, item);
        const auto a = pipeline.apply(clip, seed);
        CHECK(a == pipeline.apply(clip, seed));
        changed += a != clip;
        CHECK(a != pipeline.apply(clip, augmentation_seed(1234, 4, item)));
    }
    CHECK(changed >= 10);
    CHECK(augmentation_seed(1, 2, 3) != augmentation_seed(1, 3, 2));
}

TEST_CASE("steps with probability 0 leave the clip alone; probability 1 always applies") {
    const auto clip = test::harmonic_tone(150.0, 3, 0.3, 16000);
    const auto never = make_pipeline(R"({"steps": [{"type": "gain", "probability": 0, "db": 6}]})");
    CHECK(never.apply(clip, 5) == clip);
    const auto always = make_pipeline(R"({"steps": [{"type": "gain", "db": 6}]})");
    const auto louder = always.apply(clip, 5);
    CHECK(test::rms(louder) == doctest::Approx(test::rms(clip) * 1.99526231).epsilon(1e-5));
    const auto noisy = make_pipeline(R"({"steps": [{"type": "noise", "snr_db": 20}]})").apply(clip, 8);
    double noise = 0.0, signal = 0.0;
    for (std::size_t i = 0; i < clip.size(); ++i) {
        signal += static_cast<double>(clip[i]) * clip[i];
        noise += (noisy[i] - clip[i]) * static_cast<double>(noisy[i] - clip[i]);
    }
    CHECK(10.0 * std::log10(signal / noise) == doctest::Approx(20.0).epsilon(0.005));
    const auto faster = make_pipeline(R"({"steps": [{"type": "speed", "factor": 1.25}]})").apply(clip, 9);
    CHECK(static_cast<double>(faster.size()) == doctest::Approx(clip.size() / 1.25).epsilon(0.003));
    CHECK(always.apply({}, 1).empty());
}

TEST_CASE("augmentation config: strict parsing with messages naming the step and key") {
    const auto config = augmentation_config_from_json(nlohmann::json::parse(full_config));
    REQUIRE(config.steps.size() == 6);
    CHECK(config.steps[3].sources.size() == 4);
    CHECK(config.steps[5].mode == ShiftMode::padded);
    CHECK(config.steps[2].drr_db.high == 10.0);
    // Round trip.
    CHECK(to_json(augmentation_config_from_json(to_json(config))) == to_json(config));

    const auto error = [](const char* json) {
        try {
            augmentation_config_from_json(nlohmann::json::parse(json));
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error(R"({"steps": [{"type": "gain", "db": 3, "dB": 4}]})") ==
          "augmentation step 1 (gain): unknown key 'dB' (allowed: type, probability, db)");
    CHECK(error(R"({"step": []})") == "augmentation config: unknown key 'step' (allowed: steps)");
    CHECK(error(R"({"steps": [{"type": "gain", "db": 3}, {"type": "echo"}]})").find("step 2 (echo): unknown type") !=
          std::string::npos);
    CHECK(error(R"({"steps": [{"type": "stretch"}]})") == "augmentation step 1 (stretch): needs 'factor'");
    CHECK(error(R"({"steps": [{"type": "stretch", "factor": [1.2, 0.8]}]})").find("low > high") != std::string::npos);
    CHECK(error(R"({"steps": [{"type": "stretch", "factor": 9}]})").find("within [0.25, 4]") != std::string::npos);
    CHECK(error(R"({"steps": [{"type": "gain", "db": "loud"}]})").find("must be a number") != std::string::npos);
    CHECK(error(R"({"steps": [{"type": "gain", "db": 1, "probability": 2}]})").find("probability") != std::string::npos);
    CHECK(error(R"({"steps": [{"type": "noise", "snr_db": 1, "sources": ["blue"]}]})").find("unknown noise source") !=
          std::string::npos);
    CHECK(error(R"({"steps": [{"type": "shift", "seconds": 0.1, "mode": "wrap"}]})").find("circular or padded") !=
          std::string::npos);

    CHECK_THROWS_WITH_AS(AugmentationPipeline(augmentation_config_from_json(nlohmann::json::parse(
                                                  R"({"steps": [{"type": "noise", "snr_db": 5, "sources": ["recording"]}]})")),
                                              16000),
                         doctest::Contains("no noise recordings were given"), std::invalid_argument);
}

TEST_CASE("augmentation config parser: seeded mutations give a config or a clean error") {
    const std::string text = full_config;
    nn::Rng rng(77);
    int parsed = 0, refused = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string mutated = text;
        for (int e = 0, edits = 1 + static_cast<int>(rng.below(4)); e < edits; ++e) {
            const std::size_t at = rng.below(mutated.size());
            const char replacement = "0123456789.-[]{}\",:aeinoprst "[rng.below(29)];
            if (rng.below(2)) mutated[at] = replacement;
            else mutated.erase(at, 1);
        }
        nlohmann::json json;
        try {
            json = nlohmann::json::parse(mutated);
        } catch (const nlohmann::json::parse_error&) {
            continue;  // not JSON at all: the parser is not reached
        }
        try {
            const auto config = augmentation_config_from_json(json);
            ++parsed;
            for (const auto& step : config.steps) {
                CHECK(step.amount.low <= step.amount.high);
                CHECK((step.probability >= 0.0 && step.probability <= 1.0));
            }
        } catch (const std::invalid_argument&) {
            ++refused;
        }
    }
    CHECK(parsed > 50);
    CHECK(refused > 50);
}
