#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "nn/rng.h"
#include "support/random_model.h"
#include "support/test_support.h"
#include "test_audio.h"

using namespace ser;

TEST_SUITE("analysis.clip_shares") {

namespace {

// Pushes pcm in pieces of random sizes (1 sample to 0.3 s at 44.1 kHz), as a decoder hands them out.
void push_in_pieces(Analyzer& stream, const std::vector<float>& pcm, std::uint64_t seed) {
    for (std::size_t at = 0, k = 0; at < pcm.size(); ++k) {
        const auto n = std::min(pcm.size() - at, static_cast<std::size_t>(1.0f + nn::counter_uniform(seed, k, 0.0f, 13000.0f)));
        stream.push(std::span(pcm).subspan(at, n));
        at += n;
    }
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::vector<ClipWindows> shares_of(const Model& model, const std::vector<float>& pcm, int rate, ClipShare plan) {
    std::vector<ClipWindows> shares;
    for (plan.index = plan.count - 1; plan.index >= 0; --plan.index) {  // any order: merged by start
        Analyzer stream(model, rate, ClipSettings{.share = plan});
        push_in_pieces(stream, pcm, 10 + static_cast<std::uint64_t>(plan.index));  // each share its own pieces
        shares.push_back(stream.finish_share());
    }
    return shares;
}

void check_bit_identical(const StreamedClip& merged, const StreamedClip& one) {
    CHECK(merged.seconds == one.seconds);
    CHECK(merged.exact);
    CHECK(merged.result.label == one.result.label);
    CHECK(merged.result.speech_s == one.result.speech_s);
    CHECK(merged.result.duration_s == one.result.duration_s);
    CHECK(same_bits(merged.result.probabilities, one.result.probabilities));
    REQUIRE(merged.result.windows.size() == one.result.windows.size());
    for (std::size_t w = 0; w < one.result.windows.size(); ++w) {
        const WindowResult& a = merged.result.windows[w];
        const WindowResult& b = one.result.windows[w];
        CAPTURE(w);
        CHECK(a.start_s == b.start_s);
        CHECK(a.end_s == b.end_s);
        CHECK(same_bits(a.probabilities, b.probabilities));
        CHECK(a.activity.verdict == b.activity.verdict);
        CHECK(a.activity.loud_dbfs == b.activity.loud_dbfs);
        CHECK(a.activity.quiet_dbfs == b.activity.quiet_dbfs);
        CHECK(a.activity.speech_fraction == b.activity.speech_fraction);
    }
}

}  // namespace

TEST_CASE("a clip analysed in shares and merged equals the clip analysed in one stream, bit for bit") {
    struct Case {
        std::string name;
        Model model;
        double seconds;
    };
    // The shipped model weighs windows by their speech frames (levels cross the shares);
    // the random one weighs them equally. 44.1 kHz: every share resamples the whole clip.
    std::vector<Case> cases;
    cases.push_back({"shipped model", test::shipped_model(), 31.7});
    Model edged = test::shipped_model();
    edged.analysis.edge_s = 1.0;  // the shares see the clip's silent frame alike
    cases.push_back({"shipped model, windows past the edges", std::move(edged), 31.7});
    cases.push_back({"random model", test::random_model(), 47.3});
    cases.push_back({"random model, one looped window", test::random_model(), 1.3});
    constexpr int rate = 44100;
    for (const Case& c : cases) {
        CAPTURE(c.name);
        REQUIRE(splits(c.model));
        const std::vector<float> pcm = test::stream_audio(c.seconds, rate, 3);
        Analyzer whole(c.model, rate);
        push_in_pieces(whole, pcm, 1);
        const StreamedClip one = whole.finish();
        for (const int count : {2, 3}) {
            CAPTURE(count);
            std::vector<ClipWindows> shares = shares_of(c.model, pcm, rate, {.count = count, .stretch_windows = 7});
            std::size_t windows = 0;
            for (const ClipWindows& s : shares) windows += s.windows.size();
            CHECK(windows == one.result.windows.size());  // each window in one share only
            if (c.seconds > 10) {
                for (const ClipWindows& s : shares) CHECK(s.windows.size() > 0);  // the work was shared
            }
            check_bit_identical(merge_shares(c.model, std::move(shares)), one);
        }
    }
}

TEST_CASE("shares that are not one clip's, once each, are refused; models that need the whole clip do not split") {
    const Model model = test::random_model();
    const std::vector<float> pcm = test::stream_audio(12.0, 16000, 5);
    const ClipShare plan{.count = 3, .stretch_windows = 4};
    std::vector<ClipWindows> shares = shares_of(model, pcm, 16000, plan);
    CHECK_THROWS_WITH_AS(merge_shares(model, {shares[0], shares[1]}), doctest::Contains("2 of the clip's 3 shares"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(merge_shares(model, {shares[0], shares[1], shares[1]}), doctest::Contains("each once"),
                         std::invalid_argument);
    std::vector<ClipWindows> other = shares_of(model, test::stream_audio(11.0, 16000, 5), 16000, plan);
    CHECK_THROWS_WITH_AS(merge_shares(model, {shares[0], shares[1], other[2]}), doctest::Contains("not of one clip"),
                         std::invalid_argument);
    CHECK_NOTHROW(merge_shares(model, shares));

    Analyzer share(model, 16000, ClipSettings{.share = plan});
    share.push(pcm);
    CHECK_THROWS_AS(share.finish(), std::logic_error);  // a share ends with finish_share()
    CHECK_THROWS_AS(Analyzer(model, 16000, ClipSettings{.share = {.index = 3, .count = 3}}), std::invalid_argument);

    const Model pooled = test::random_model({.input = test::ModelInput::pooled});
    CHECK_FALSE(splits(pooled));
    CHECK_THROWS_WITH_AS(Analyzer(pooled, 16000, ClipSettings{.share = {.count = 2}}), doctest::Contains("cannot be split"),
                         std::invalid_argument);
}

}
