// The few-shot measurement's bookkeeping: how a speaker's clips are cut into an adaptation
// side and a test side with other words, and the per-K summary.
#include <doctest/doctest.h>

#include "training/adapt_eval.h"

#include "nn/rng.h"
#include "support/random_model.h"

using namespace ser;

namespace {

ClipSet clips_with(const std::vector<std::map<std::string, std::string>>& fields) {
    ClipSet set;
    set.labels = {"neutral", "sad"};
    for (std::size_t i = 0; i < fields.size(); ++i) {
        CorpusItem item;
        item.speaker = "ravdess:01";
        item.fields = fields[i];
        set.items.push_back(item);
        set.label.push_back(static_cast<int>(i % 2));
    }
    return set;
}

// `n` clips of one speaker, labels alternating neutral/sad, each 198 frames of random
// log-mel-like values: what a fold's held-out speaker looks like to adapt_speaker.
ClipSet random_clips(int n) {
    ClipSet set = clips_with(std::vector<std::map<std::string, std::string>>(static_cast<std::size_t>(n)));
    std::uint64_t draw = 0;
    for (int i = 0; i < n; ++i) {
        FeatureMatrix m{64, 198, std::vector<float>(64 * 198)};
        for (float& v : m.values) v = nn::counter_uniform(7, draw++, -80.0f, 0.0f) + (i % 2 ? 10.0f : 0.0f);
        set.variants.push_back({m});
    }
    return set;
}

}  // namespace

TEST_CASE("a speaker's clips split by statement: one adapts, the other tests") {
    const ClipSet set = clips_with({{{"statement", "01"}}, {{"statement", "02"}}, {{"statement", "01"}}, {{"statement", "02"}}});
    const std::vector<std::size_t> all = {0, 1, 2, 3};
    const ContentSplit split = split_by_content(set, all);
    CHECK(split.adapt == std::vector<std::size_t>{0, 2});
    CHECK(split.test == std::vector<std::size_t>{1, 3});
    // Sentences (CREMA-D, SAVEE), texts (EMO-DB) and words (TESS) alternate the same way.
    const ClipSet words = clips_with({{{"word", "bite"}}, {{"word", "cab"}}, {{"word", "dog"}}, {{"word", "bite"}}});
    const ContentSplit w = split_by_content(words, all);
    CHECK(w.adapt == std::vector<std::size_t>{0, 2, 3});
    CHECK(w.test == std::vector<std::size_t>{1});
}

TEST_CASE("one statement only, or none: nothing to split, the speaker is skipped") {
    const std::vector<std::size_t> all = {0, 1};
    CHECK(split_by_content(clips_with({{{"statement", "01"}}, {{"statement", "01"}}}), all).adapt.empty());
    CHECK(split_by_content(clips_with({{}, {}}), all).test.empty());
}

TEST_CASE("the summary: means per method and K, the worst speaker, the guard's choices") {
    AdaptEvalResult r;
    r.speakers = {{"f1", "a", "head", 2, 16, 30, 0.5, 0.7, 0.7, false, 0.1},
                  {"f1", "b", "head", 2, 16, 30, 0.4, 0.3, 0.4, true, 0.1},
                  {"f1", "a", "head", 1, 8, 30, 0.5, 0.6, 0.6, false, 0.1}};
    const auto s = r.summary();
    REQUIRE(s.size() == 2);
    CHECK(s[0].shots == 2);
    CHECK(s[0].speakers == 2);
    CHECK(s[0].before_uar == doctest::Approx(0.45));
    CHECK(s[0].adapted_uar == doctest::Approx(0.5));
    CHECK(s[0].guarded_uar == doctest::Approx(0.55));
    CHECK(s[0].worst_delta == doctest::Approx(-0.1));
    CHECK(s[0].worst_guarded_delta == doctest::Approx(0.0));
    CHECK(s[0].kept_base == 1);
    CHECK(s[1].shots == 1);
    CHECK(s[1].speakers == 1);
}

TEST_CASE("a speaker with too few clips at a small K is reported as refused, not an error that ends the run") {
    const Model base = test::random_model({.labels = {"neutral", "sad"}});
    TrainingConfig config;
    config.features = base.features;
    const ClipSet set = random_clips(6);
    // Three clips on the adaptation side: one per label at K = 1 is 2 clips, below adapt's minimum of 4.
    const ContentSplit split{{0, 1, 2}, {3, 4, 5}};
    AdaptEvalOptions options;
    options.adapt.leave_one_out = false;
    std::string refused;
    CHECK_FALSE(adapt_speaker(base, config, set, split, 1, "norm+head2", 1, options, nullptr, refused).has_value());
    CHECK(refused.find("too few to adapt on") != std::string::npos);

    // Enough clips: measured, before and after on the test side only.
    const ClipSet more = random_clips(12);
    const ContentSplit wide{{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11}};
    refused.clear();
    const auto r = adapt_speaker(base, config, more, wide, 2, "norm+head2", 1, options, nullptr, refused);
    REQUIRE(r.has_value());
    CHECK(refused.empty());
    CHECK(r->adapt_clips == 4);
    CHECK(r->test_clips == 4);
    CHECK(r->before_uar >= 0.0);
    CHECK(r->adapted_uar <= 1.0);
}

TEST_CASE("the speaker baseline row: learnt on the adaptation side, scored on the test side; neutral-only keeps neutral clips") {
    const Model base = test::random_model({.labels = {"neutral", "sad"}});
    TrainingConfig config;
    config.features = base.features;
    const ClipSet set = random_clips(12);  // labels alternate neutral, sad
    const ContentSplit split{{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11}};
    const auto all = baseline_speaker(base, config, set, split, false, nullptr);
    REQUIRE(all.has_value());
    CHECK(all->method == "baseline");
    CHECK(all->shots == 0);
    CHECK(all->adapt_clips == 8);
    CHECK(all->test_clips == 4);
    CHECK(all->adapted_uar >= 0.0);
    CHECK(all->adapted_uar <= 1.0);
    const auto neutral = baseline_speaker(base, config, set, split, true, nullptr);
    REQUIRE(neutral.has_value());
    CHECK(neutral->method == "baseline-neutral");
    CHECK(neutral->adapt_clips == 4);
    CHECK(neutral->test_clips == 2);
    // A test side without neutral clips: nothing to measure the one-mood voice on.
    CHECK_FALSE(baseline_speaker(base, config, set, ContentSplit{{0, 1}, {9, 11}}, true, nullptr).has_value());
}
