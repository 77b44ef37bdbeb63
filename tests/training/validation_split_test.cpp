#include <doctest/doctest.h>

#include <stdexcept>

#include <cstdint>
#include <map>
#include <numeric>
#include <set>

#include "training/splits.h"
#include "training/validation_split.h"
#include "training_test_support.h"

using namespace ser;

TEST_CASE("validation holds out whole speakers of both genders from the training side") {
    const auto items = test::synthetic_items("ravdess", 24, 60);
    const Fold fold = speaker_folds(items, 6).folds[0];
    const ValidationSplit split = validation_split(items, fold.train, 0.15, 7);
    CHECK(split.speaker_held_out);
    CHECK(split.train.size() + split.validation.size() == fold.train.size());

    std::set<std::string> train_speakers, validation_speakers;
    for (std::size_t i : split.train) train_speakers.insert(items[i].speaker);
    for (std::size_t i : split.validation) validation_speakers.insert(items[i].speaker);
    for (const auto& speaker : validation_speakers) CHECK(train_speakers.count(speaker) == 0);
    CHECK(std::vector<std::string>(validation_speakers.begin(), validation_speakers.end()) == split.validation_speakers);
    // 15 % of 1200 files = 180 = three 60-file actors, alternating genders.
    CHECK(split.validation_speakers.size() == 3);
    int male = 0;
    for (const auto& speaker : split.validation_speakers) {
        male += std::stoi(speaker.substr(8)) % 2;
        for (const auto& test_speaker : fold.test_speakers) CHECK(speaker != test_speaker);
    }
    CHECK((male == 1 || male == 2));

    CHECK(validation_split(items, fold.train, 0.15, 7).validation == split.validation);
    CHECK(validation_split(items, fold.train, 0.15, 8).validation_speakers != split.validation_speakers);
}

TEST_CASE("a talker with more files than the validation share stays on the training side") {
    // RAVDESS's 24 actors of 60 files beside TESS's 2 talkers of 1400: the validation set is
    // 15 % of the 26 speakers, all of them actors, so early stopping hears new actors rather
    // than one TESS talker filling it alone.
    auto items = test::synthetic_items("ravdess", 24, 60);
    for (auto& item : test::synthetic_items("tess", 2, 1400)) {
        item.gender = Gender::female;
        items.push_back(item);
    }
    std::vector<std::size_t> all(items.size());
    std::iota(all.begin(), all.end(), 0);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const ValidationSplit split = validation_split(items, all, 0.15, seed);
        REQUIRE(split.validation_speakers.size() == 4);
        for (const auto& speaker : split.validation_speakers) CHECK(speaker.rfind("ravdess:", 0) == 0);
        CHECK(split.validation.size() == 240);
    }
}

TEST_CASE("validation never takes every speaker, and falls back to files for a single speaker") {
    const auto items = test::synthetic_items("tess", 2, 80);
    std::vector<std::size_t> all(items.size());
    std::iota(all.begin(), all.end(), 0);
    const ValidationSplit two = validation_split(items, all, 0.9, 1);
    CHECK(two.speaker_held_out);
    CHECK(two.validation_speakers.size() == 1);

    const Fold one_speaker = leave_one_speaker_out(items).folds[0];  // trains on tess:02 only
    const ValidationSplit split = validation_split(items, one_speaker.train, 0.2, 3);
    CHECK_FALSE(split.speaker_held_out);
    CHECK(split.validation.size() == 16);  // 20 % of each label's 10 files
    std::map<std::string, int> per_label;
    for (std::size_t i : split.validation) ++per_label[items[i].label];
    CHECK(per_label.size() == 8);
    for (const auto& [name, count] : per_label) {
        const std::string& label = name;  // clang 14 cannot capture a structured binding
        CHECK_MESSAGE(count == 2, label);
    }
    CHECK_THROWS_AS(validation_split(items, {}, 0.2, 1), std::invalid_argument);
    CHECK_THROWS_AS(validation_split(items, all, 1.5, 1), std::invalid_argument);
    const std::size_t out_of_range[] = {items.size()};
    CHECK_THROWS_AS(validation_split(items, out_of_range, 0.2, 1), std::invalid_argument);
}
