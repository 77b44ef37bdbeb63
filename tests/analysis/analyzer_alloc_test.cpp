// Once running, the live path (resampling, the window slicer, voice activity, the frame
// ring or the window's own features, the network, smoothing) allocates nothing per hop.
#include <doctest/doctest.h>

#include <string>

#include "../nn/allocation_counter.h"
#include "analysis/analyzer.h"
#include "support/random_model.h"
#include "support/test_support.h"
#include "test_audio.h"

using namespace ser;

TEST_CASE("a live analyser allocates nothing per hop once running") {
    struct Case {
        std::string name;
        Model model;
        bool incremental;
    };
    // The shipped model keeps a window's speech frames; the random one reads them all.
    const Case cases[] = {{"shipped model, frames from the stream", test::shipped_model(), true},
                          {"shipped model, each window's own features", test::shipped_model(), false},
                          {"random model, frames from the stream", test::random_model(), true}};
    constexpr int rate = 48000;
    constexpr std::size_t block = 960;  // the page's 20 ms blocks
    for (const Case& c : cases) {
        CAPTURE(c.name);
        Analyzer live(c.model, rate, LiveSettings{.incremental_features = c.incremental});
        REQUIRE(live.incremental() == c.incremental);
        // Speech, a quiet stretch (7 to 15 s) and speech again: the first 10 s warm up
        // every buffer (the first full window, the longest window of speech).
        const std::vector<float> pcm = test::stream_audio(20.0, rate, 3);
        int hops = 0, speech = 0;
        long before = 0;
        for (std::size_t at = 0; at < pcm.size(); at += block) {
            if (at == pcm.size() / 2) before = test::allocation_count();
            live.push(std::span(pcm).subspan(at, std::min(block, pcm.size() - at)), [&](const AnalysedWindow& w) {
                if (at < pcm.size() / 2) return;
                ++hops;
                if (!w.probabilities.empty()) ++speech;
            });
        }
        CHECK(test::allocation_count() == before);
        CHECK(hops >= 39);  // every hop of the second half (the last waits for the resampler)
        CHECK(speech > 10);
    }
}
