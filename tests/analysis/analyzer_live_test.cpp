#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/window_classifier.h"
#include "nn/rng.h"
#include "support/random_model.h"
#include "support/test_support.h"
#include "test_audio.h"

using namespace ser;
using test::stream_audio;

TEST_SUITE("analysis.analyzer_live") {

namespace {

bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Hop {
    double end_s = 0.0;
    double window_s = 0.0;
    bool speech = false;
    std::vector<float> probabilities;
    std::vector<float> window;  // the window's samples at the model rate
};

// The stream in odd-sized blocks (1 to 3000 samples, from `seed`), every hop recorded.
std::vector<Hop> play(Analyzer& live, const std::vector<float>& pcm, std::uint64_t seed) {
    std::vector<Hop> hops;
    for (std::size_t at = 0, k = 0; at < pcm.size(); ++k) {
        const auto n = std::min(pcm.size() - at, static_cast<std::size_t>(1 + nn::counter_uniform(seed, k, 0.0f, 2999.0f)));
        live.push(std::span(pcm).subspan(at, n), [&](const AnalysedWindow& r) {
            hops.push_back({r.end_s, r.window_s, r.activity.is_speech, {r.probabilities.begin(), r.probabilities.end()},
                            {r.audio.begin(), r.audio.end()}});
        });
        at += n;
    }
    return hops;
}

// Every hop of the incremental analyser against today's full-window computation of the
// same window: the WindowClassifier on the window's samples, and a live Analyzer that computes each
// window's features whole. Returns how many hops held speech.
int check_hops(const Model& model, const std::vector<Hop>& hops, const std::vector<Hop>& whole) {
    WindowClassifier reference(model);
    REQUIRE(hops.size() == whole.size());
    int speech = 0;
    for (std::size_t i = 0; i < hops.size(); ++i) {
        CAPTURE(hops[i].end_s);
        CHECK(hops[i].end_s == whole[i].end_s);
        REQUIRE(same_bits(hops[i].window, whole[i].window));
        REQUIRE(hops[i].speech == whole[i].speech);
        if (!hops[i].speech) {
            CHECK(hops[i].probabilities.empty());
            continue;
        }
        ++speech;
        CHECK(same_bits(hops[i].probabilities, reference.classify(hops[i].window)));
        CHECK(same_bits(hops[i].probabilities, whole[i].probabilities));
    }
    return speech;
}

}  // namespace

TEST_CASE("hops computing only their new frames classify each window bit for bit as its own samples") {
    struct Case {
        std::string name;
        Model model;
        int input_rate;
        LiveSettings settings;
    };
    std::vector<Case> cases;
    cases.push_back({"shipped model, 48 kHz microphone", test::shipped_model(), 48000, {}});
    cases.push_back({"random model, 16 kHz", test::random_model(), 16000, {}});
    cases.push_back({"random model, 44.1 kHz, 3 s windows every 0.5 s", test::random_model({.seed = 3}), 44100,
                     {.window_s = 3.0, .hop_s = 0.5}});
    for (const Case& c : cases) {
        CAPTURE(c.name);
        Analyzer live(c.model, c.input_rate, c.settings);
        LiveSettings whole_settings = c.settings;
        whole_settings.incremental_features = false;
        Analyzer whole(c.model, c.input_rate, whole_settings);
        REQUIRE(live.incremental());
        REQUIRE_FALSE(whole.incremental());

        const std::vector<float> first = stream_audio(11.3, c.input_rate, 1);
        const std::vector<Hop> hops = play(live, first, 2);
        const int speech = check_hops(c.model, hops, play(whole, first, 3));  // other blocks: same hops
        CHECK(speech > 10);
        CHECK(speech + 1 < static_cast<int>(hops.size()));  // the quiet stretch was skipped
        CHECK(hops.front().window_s < (c.settings.window_s > 0 ? c.settings.window_s : 2.0));  // while the ring filled

        // A new stream after reset(): the ring fills again from nothing.
        live.reset();
        whole.reset();
        const std::vector<float> second = stream_audio(5.1, c.input_rate, 4);
        const std::vector<Hop> again = play(live, second, 5);
        CHECK(check_hops(c.model, again, play(whole, second, 6)) > 5);
        CHECK(again.front().end_s == hops.front().end_s);
    }
}

TEST_CASE("models and settings whose windows are not cut from the stream's frames compute each window whole") {
    // Pooled features need the whole window.
    CHECK_FALSE(Analyzer(test::random_model({.input = test::ModelInput::pooled}), 16000, LiveSettings{}).incremental());
    // A hop that is not a whole number of feature hops (160 samples) would start windows between frames.
    CHECK_FALSE(Analyzer(test::random_model(), 16000, LiveSettings{.hop_s = 0.2503}).incremental());
    CHECK_FALSE(Analyzer(test::random_model(), 16000, LiveSettings{.window_s = 1.995}).incremental());
    CHECK(Analyzer(test::random_model(), 16000, LiveSettings{.window_s = 1.99}).incremental());
}

TEST_CASE("the incremental path times each hop's own frames") {
    const Model model = test::random_model();
    Analyzer live(model, 16000, LiveSettings{});
    const std::vector<float> pcm = stream_audio(4.0, 16000, 7);
    int hops = 0;
    live.push(pcm, [&](const AnalysedWindow& r) {
        ++hops;
        CHECK(r.feature_ms > 0.0);  // paid on every hop, speech or not
        if (r.activity.is_speech) CHECK(r.inference_ms > 0.0);
    });
    CHECK(hops > 5);
}

}
