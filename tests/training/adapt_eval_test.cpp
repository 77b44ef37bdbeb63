// The few-shot measurement's bookkeeping: how a speaker's clips are cut into an adaptation
// side and a test side with other words, and the per-K summary.
#include <doctest/doctest.h>

#include "training/adapt_eval.h"

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
