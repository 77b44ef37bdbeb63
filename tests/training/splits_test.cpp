#include <doctest/doctest.h>

#include <stdexcept>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "support/test_support.h"
#include "training/splits.h"
#include "training_test_support.h"

using namespace ser;

namespace {

// Every item is tested exactly once, train and test partition the items in each fold, and
// no speaker is on both sides.
void check_partition(const SplitPlan& plan, const std::vector<CorpusItem>& items) {
    std::vector<int> tested(items.size(), 0);
    for (const auto& fold : plan.folds) {
        INFO(fold.name);
        CHECK(fold.train.size() + fold.test.size() == items.size());
        std::set<std::string> train_speakers, test_speakers;
        for (std::size_t i : fold.train) train_speakers.insert(items[i].speaker);
        for (std::size_t i : fold.test) {
            test_speakers.insert(items[i].speaker);
            ++tested[i];
        }
        for (const auto& speaker : test_speakers) CHECK_MESSAGE(train_speakers.count(speaker) == 0, speaker);
        CHECK(std::vector<std::string>(test_speakers.begin(), test_speakers.end()) == fold.test_speakers);
        std::set<std::size_t> all(fold.train.begin(), fold.train.end());
        all.insert(fold.test.begin(), fold.test.end());
        CHECK(all.size() == items.size());
    }
    for (std::size_t i = 0; i < items.size(); ++i) CHECK_MESSAGE(tested[i] == 1, items[i].path.string());
}

}  // namespace

TEST_CASE("RAVDESS speaker folds: 6 folds of 4 consecutive actors, 2 male and 2 female") {
    const auto items = test::synthetic_items("ravdess", 24, 60);
    const SplitPlan plan = speaker_folds(items, 6);
    CHECK(plan.protocol == "speaker");
    CHECK_FALSE(plan.speakers_overlap);
    CHECK(plan.caveat.empty());
    REQUIRE(plan.folds.size() == 6);
    check_partition(plan, items);
    for (int f = 0; f < 6; ++f) {
        char expected[4][16];
        for (int a = 0; a < 4; ++a) std::snprintf(expected[a], sizeof expected[a], "ravdess:%02d", 4 * f + a + 1);
        CHECK(plan.folds[static_cast<std::size_t>(f)].test_speakers ==
              std::vector<std::string>{expected[0], expected[1], expected[2], expected[3]});
        CHECK(plan.folds[static_cast<std::size_t>(f)].test.size() == 240);
        CHECK(plan.folds[static_cast<std::size_t>(f)].name == "fold " + std::to_string(f + 1));
    }
}

TEST_CASE("speaker folds on the shared RAVDESS: every file tested once, genders balanced") {
    SER_REQUIRE_SHARED("data/ravdess");
    const auto items = read_corpus(Corpus::ravdess, test::shared_dir() / "data/ravdess").items;
    const SplitPlan plan = make_split("speaker", items, 0);
    REQUIRE(plan.folds.size() == 6);
    check_partition(plan, items);
    for (const auto& fold : plan.folds) {
        int male = 0;
        for (std::size_t i : fold.test) male += items[i].gender == Gender::male;
        CHECK(male == 120);
        CHECK(fold.test.size() == 240);
    }
    CHECK(plan.folds[5].test_speakers == std::vector<std::string>{"ravdess:21", "ravdess:22", "ravdess:23", "ravdess:24"});
}

TEST_CASE("speaker folds with uneven genders stay balanced in size and gender") {
    // 7 male (odd) and 6 female actors into 4 folds.
    const auto items = test::synthetic_items("x", 13, 5);
    const SplitPlan plan = speaker_folds(items, 4);
    check_partition(plan, items);
    std::vector<int> sizes, males;
    for (const auto& fold : plan.folds) {
        sizes.push_back(static_cast<int>(fold.test_speakers.size()));
        int m = 0;
        for (const auto& s : fold.test_speakers) m += std::stoi(s.substr(2)) % 2;
        males.push_back(m);
    }
    CHECK(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()) <= 1);
    CHECK(*std::max_element(males.begin(), males.end()) - *std::min_element(males.begin(), males.end()) <= 1);
    CHECK(speaker_folds(items, 4).folds[2].test == plan.folds[2].test);  // deterministic
}

TEST_CASE("speaker folds over two corpora spread each corpus's speakers over the folds") {
    // ASED-like (65 speakers) and nEMO-like (9) sort one after the other; runs are cut per
    // corpus and gender, so the small corpus is not all in the last fold.
    std::vector<CorpusItem> items = test::synthetic_items("ased", 65, 2);
    auto nemo = test::synthetic_items("nemo", 9, 4);
    for (auto& item : nemo) item.corpus = Corpus::nemo;
    items.insert(items.end(), nemo.begin(), nemo.end());
    const SplitPlan plan = speaker_folds(items, 6);
    check_partition(plan, items);
    for (const auto& fold : plan.folds) {
        int small = 0;
        for (const auto& s : fold.test_speakers) small += s.rfind("nemo:", 0) == 0;
        CHECK_MESSAGE((small >= 1 && small <= 2), fold.name);
    }
}

TEST_CASE("speaker folds refuse impossible requests") {
    const auto items = test::synthetic_items("x", 3, 4);
    CHECK_THROWS_WITH_AS(speaker_folds(items, 4), doctest::Contains("from 3 speakers"), std::invalid_argument);
    CHECK_THROWS_AS(speaker_folds(items, 1), std::invalid_argument);
    CHECK_THROWS_AS(speaker_folds({}, 2), std::invalid_argument);
    CHECK(make_split("speaker", items, 0).folds.size() == 3);  // fewer speakers than 6: one each
    CHECK_THROWS_WITH_AS(make_split("speaker", test::synthetic_items("x", 1, 4), 0), doctest::Contains("--folds random"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(make_split("kfold", items, 0), doctest::Contains("use speaker, loso, corpus or random"),
                         std::invalid_argument);
}

TEST_CASE("leave one speaker out and leave one corpus out") {
    auto items = test::synthetic_items("tess", 2, 10);
    const SplitPlan loso = leave_one_speaker_out(items);
    CHECK(loso.protocol == "loso");
    REQUIRE(loso.folds.size() == 2);
    CHECK(loso.folds[0].name == "tess:01");
    check_partition(loso, items);

    CHECK_THROWS_WITH_AS(leave_one_corpus_out(items), doctest::Contains("at least 2 corpora"), std::invalid_argument);
    for (auto& item : items) item.corpus = Corpus::tess;
    auto ravdess = test::synthetic_items("ravdess", 4, 10);
    items.insert(items.end(), ravdess.begin(), ravdess.end());
    const SplitPlan loco = leave_one_corpus_out(items);
    REQUIRE(loco.folds.size() == 2);
    CHECK(loco.folds[0].name == "ravdess");
    CHECK(loco.folds[0].test.size() == 40);
    CHECK(loco.folds[1].name == "tess");
    check_partition(loco, items);
}

TEST_CASE("random split: stratified, seeded, and labelled as leaky") {
    const auto items = test::synthetic_items("ravdess", 24, 60);
    const SplitPlan plan = random_split(items, 0.2, 42);
    CHECK(plan.protocol == "random");
    CHECK(plan.speakers_overlap);
    CHECK(plan.caveat == "random split, speakers overlap");
    REQUIRE(plan.folds.size() == 1);
    const Fold& fold = plan.folds[0];
    CHECK(fold.name == "random 80/20");
    CHECK(fold.test.size() + fold.train.size() == items.size());
    std::map<std::string, int> test_per_label, per_label;
    for (std::size_t i : fold.test) ++test_per_label[items[i].label];
    for (const auto& item : items) ++per_label[item.label];
    CHECK(test_per_label.size() == 8);
    for (const auto& [name, count] : test_per_label) {
        const std::string& label = name;  // clang 14 cannot capture a structured binding
        CHECK_MESSAGE(count == std::lround(0.2 * per_label[label]), label);  // 20 % of each label
    }
    CHECK(fold.test_speakers.size() == 24);  // the leak: every speaker is tested and trained on

    CHECK(random_split(items, 0.2, 42).folds[0].test == fold.test);
    CHECK(random_split(items, 0.2, 43).folds[0].test != fold.test);
    CHECK_THROWS_AS(random_split(items, 1.0, 1), std::invalid_argument);
    CHECK_THROWS_AS(random_split(items, 0.0, 1), std::invalid_argument);
}

TEST_CASE("labels shared by corpora: RAVDESS and TESS meet on seven") {
    auto items = test::synthetic_items("ravdess", 2, 8);
    for (auto& item : items) item.corpus = Corpus::ravdess;
    auto tess = test::synthetic_items("tess", 2, 8);
    for (auto& item : tess) {
        item.corpus = Corpus::tess;
        if (item.label == "calm") item.label = "neutral";
    }
    items.insert(items.end(), tess.begin(), tess.end());
    CHECK(labels_shared_by_corpora(items) ==
          std::vector<std::string>{"neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"});
}
