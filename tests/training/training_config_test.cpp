#include <doctest/doctest.h>

#include <stdexcept>

#include "fuzz/fuzz_corpus.h"
#include "training/optimizer_json.h"
#include "training/training_config.h"

using namespace ser;
using nlohmann::json;

TEST_SUITE("training.config") {

// The optimiser and schedule settings' JSON moved here from tests/nn with their reader.
TEST_CASE("optimiser settings: strict, and they round-trip") {
    nn::OptimizerConfig l2;
    l2.kind = nn::OptimizerKind::sgd;
    l2.momentum = 0.0f;
    l2.l2 = 0.1f;
    l2.l1 = 0.05f;
    CHECK(optimizer_config_from_json({{"kind", "rmsprop"}, {"rho", 0.95}}).rho == doctest::Approx(0.95));
    CHECK_THROWS_AS(optimizer_config_from_json({{"kind", "adagrad"}}), std::invalid_argument);
    CHECK_THROWS_AS(optimizer_config_from_json({{"lr", 0.1}}), std::invalid_argument);
    const auto round = optimizer_config_from_json(to_json(l2));
    CHECK(round.l2 == doctest::Approx(0.1));
}

TEST_CASE("schedule settings: strict") {
    CHECK(schedule_config_from_json({{"kind", "cosine"}, {"total_epochs", 40}}).total_epochs == doctest::Approx(40));
    CHECK_THROWS_AS(schedule_config_from_json({{"kind", "exp"}}), std::invalid_argument);
    CHECK_THROWS_AS(schedule_config_from_json({{"patience", -1}}), std::invalid_argument);
}

TEST_CASE("input.edge_s: at most half a window, written only when set") {
    const json minimal = {{"features", {{"preset", "default"}}}, {"network", {{"layers", {{{"type", "softmax"}}}}}}};
    json config = minimal;
    config["input"] = {{"window_s", 2.0}, {"edge_s", 1.0}};
    const TrainingConfig c = training_config_from_json(config);
    CHECK(c.input.edge_s == 1.0);
    CHECK(to_json(c)["input"]["edge_s"] == 1.0);
    CHECK_FALSE(to_json(training_config_from_json(minimal))["input"].contains("edge_s"));
    config["input"]["edge_s"] = 1.5;
    CHECK_THROWS_WITH_AS(training_config_from_json(config), doctest::Contains("input.edge_s"), std::invalid_argument);
    config["input"] = {{"edge_s", 0.5}};  // no windows at all
    CHECK_THROWS_WITH_AS(training_config_from_json(config), doctest::Contains("window_s > 0"), std::invalid_argument);
}

TEST_CASE("the libFuzzer corpus (seeds and past findings) parses and round-trips, or fails with invalid_argument") {
    int accepted = 0;
    for (const auto& file : test::fuzz_corpus("training_config")) {
        CAPTURE(file.string());
        const json j = json::parse(test::read_corpus_file(file), nullptr, false);
        if (j.is_discarded()) continue;  // not JSON: nlohmann refuses it before our code runs
        try {
            const json written = to_json(training_config_from_json(j));
            CHECK(to_json(training_config_from_json(written)) == written);
            ++accepted;
        } catch (const std::invalid_argument&) {
        }
    }
    CHECK(accepted >= 3);  // the seeds: the shipped configs and the CLI tests' tiny one
}

}
