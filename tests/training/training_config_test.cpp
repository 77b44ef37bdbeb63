#include <doctest/doctest.h>

#include <stdexcept>

#include "fuzz/fuzz_corpus.h"
#include "training/training_config.h"

using namespace ser;
using nlohmann::json;

TEST_SUITE("training.config") {

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
