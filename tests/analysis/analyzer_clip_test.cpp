#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "analysis/analyzer.h"
#include "model/model_input.h"
#include "nn/rng.h"
#include "support/test_support.h"

using namespace ser;

TEST_SUITE("analysis.analyzer_clip") {

namespace {

using test::shipped_model;

// Speech-like enough to move every feature: a gliding tone with harmonics, bursts and noise.
std::vector<float> clip(double seconds, int rate, std::uint64_t seed) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * rate));
    double phase = 0.0;
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        phase += 2.0 * M_PI * (110.0 + 80.0 * std::sin(0.7 * t)) / rate;
        const double envelope = 0.5 + 0.5 * std::sin(2.0 * M_PI * 1.3 * t);
        pcm[i] = static_cast<float>(envelope * (0.3 * std::sin(phase) + 0.1 * std::sin(3.0 * phase)) +
                                    0.01 * nn::counter_uniform(seed, i, -1.0f, 1.0f));
    }
    return pcm;
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

// The shipped model's features are frame-local, so the Analyzer reads each window's frames
// from the stream's, computed once; here every window is also classified from its own samples.
TEST_CASE("windows cut from a clip's features equal windows computed from their own audio, bit for bit") {
    Model model = shipped_model();
    model.analysis.edge_s = 0.0;  // windows past the edges: the next test
    Analyzer analyzer(model, model.features.sample_rate);
    ClipSettings no_timeline;
    no_timeline.timeline = false;
    Analyzer bare(model, model.features.sample_rate, no_timeline);
    Predictor alone(model);
    REQUIRE(alone.frame_local());
    REQUIRE(analyzer.incremental());
    const int rate = analyzer.model_rate();
    // Longer than one block of windows (so blocks join), one window and a bit, shorter than one.
    for (const double seconds : {75.3, 2.6, 1.2}) {
        CAPTURE(seconds);
        const std::vector<float> pcm = clip(seconds, rate, static_cast<std::uint64_t>(seconds * 10));
        const ClipResult r = analyzer.analyse(pcm).result;
        // The windows training cuts from the clip's frames (198 a window, a hop of 25).
        std::vector<std::size_t> starts;
        for (const int f : window_starts(std::max(static_cast<int>(alone.frames_for(pcm.size())), 1), 198, 25))
            starts.push_back(static_cast<std::size_t>(f) * 160);
        REQUIRE(r.windows.size() == starts.size());
        // The clip's probabilities: the windows' mean weighted by their speech frames
        // (model_input.h), from each window computed alone.
        std::vector<float> levels, probabilities;
        std::vector<int> frame_starts;
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::size_t window = std::min<std::size_t>(static_cast<std::size_t>(2 * rate), pcm.size() - starts[i]);
            const auto p = alone.probabilities(std::span(pcm).subspan(starts[i], window));
            CHECK_MESSAGE(same_bits(p, r.windows[i].probabilities), "window " << i);
            probabilities.insert(probabilities.end(), p.begin(), p.end());
            const int first = static_cast<int>(starts[i] / 160);
            frame_starts.push_back(first);
            const auto own = alone.frame_levels().first(std::min<std::size_t>(alone.frame_levels().size(), 198));
            levels.resize(std::max(levels.size(), static_cast<std::size_t>(first) + own.size()));
            std::copy(own.begin(), own.end(), levels.begin() + first);
        }
        const WindowWeights w = weigh_windows(levels, frame_starts, 198, model.normalisation);
        const double total = std::accumulate(w.weights.begin(), w.weights.end(), 0.0);
        for (std::size_t c = 0; c < r.probabilities.size(); ++c) {
            double mean = 0.0;
            for (std::size_t i = 0; i < starts.size(); ++i) mean += w.weights[i] / total * probabilities[i * r.probabilities.size() + c];
            CHECK(mean == doctest::Approx(r.probabilities[c]).epsilon(1e-6));
        }
        CHECK(same_bits(bare.analyse(pcm).result.probabilities, r.probabilities));
        CHECK(r.duration_s == doctest::Approx(seconds).epsilon(1e-4));
    }
}

// analysis.edge_s is a clip framed by that much digital silence, done inside the analyser:
// the same windows and numbers, with the times of the clip's own audio.
TEST_CASE("windows past a clip's edges are the clip framed by silence, timed within the clip") {
    Model plain = shipped_model();
    plain.analysis.edge_s = 0.0;
    Model edged = shipped_model();
    edged.analysis.edge_s = 0.75;
    const int rate = edged.features.sample_rate;
    Analyzer framed_by_hand(plain, rate);
    Analyzer analyser(edged, rate);
    for (const double seconds : {4.1, 0.3}) {
        CAPTURE(seconds);
        const std::vector<float> pcm = clip(seconds, rate, 7);
        std::vector<float> framed(pcm.size() + 2 * 12000, 0.0f);
        std::copy(pcm.begin(), pcm.end(), framed.begin() + 12000);
        const ClipResult want = framed_by_hand.analyse(framed).result;
        const ClipResult got = analyser.analyse(pcm).result;
        CHECK(same_bits(got.probabilities, want.probabilities));
        CHECK(got.speech_s == want.speech_s);
        CHECK(got.duration_s == doctest::Approx(seconds).epsilon(1e-4));
        REQUIRE(got.windows.size() == want.windows.size());
        if (seconds > 2.0) CHECK(got.windows.size() > Analyzer(plain, rate).analyse(pcm).result.windows.size());
        for (std::size_t w = 0; w < got.windows.size(); ++w) {
            CAPTURE(w);
            CHECK(same_bits(got.windows[w].probabilities, want.windows[w].probabilities));
            CHECK(got.windows[w].start_s == doctest::Approx(std::clamp(want.windows[w].start_s - 0.75, 0.0, seconds)));
            CHECK(got.windows[w].end_s == doctest::Approx(std::clamp(want.windows[w].end_s - 0.75, 0.0, seconds)));
            CHECK(got.windows[w].end_s > got.windows[w].start_s);  // every window holds some of the clip
        }
    }
}

TEST_CASE("a clip of a few frames is classified; one shorter than a frame is refused with the minimum") {
    Model model = shipped_model();
    model.analysis.edge_s = 0.0;  // with edges no clip is shorter than a window
    Analyzer analyzer(model, model.features.sample_rate);
    const ClipResult r = analyzer.analyse(clip(0.05, analyzer.model_rate(), 1)).result;
    CHECK(r.speech_s < little_speech_s);
    const std::vector<float> pcm = clip(0.02, analyzer.model_rate(), 1);
    CHECK_THROWS_WITH_AS(analyzer.analyse(pcm), doctest::Contains("give at least"), std::invalid_argument);
}

TEST_CASE("the voice-activity step judges every window of a clip: a steady tone holds no speech, the speech-like clip does") {
    const Model model = shipped_model();
    ClipSettings no_timeline;
    no_timeline.timeline = false;
    Analyzer analyzer(model, model.features.sample_rate, no_timeline);
    const ClipResult speech = analyzer.analyse(clip(4.0, analyzer.model_rate(), 3)).result;
    CHECK(speech.speech_windows > 0);
    CHECK(speech.windows.empty());  // no timeline asked for: judged, not kept
    std::vector<float> tone(static_cast<std::size_t>(4 * analyzer.model_rate()));
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = 0.1f * static_cast<float>(std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i) / analyzer.model_rate()));
    CHECK(analyzer.analyse(tone).result.speech_windows == 0);
}

TEST_CASE("a silent clip is refused with why, a very quiet one is classified; the refusal does not stick") {
    const Model model = shipped_model();
    Analyzer analyzer(model, model.features.sample_rate);
    const std::vector<float> zeros(static_cast<std::size_t>(3 * analyzer.model_rate()), 0.0f);
    CHECK_THROWS_WITH_AS(analyzer.analyse(zeros), doctest::Contains("every sample is zero"), std::invalid_argument);
    // Below the floor (16-bit dither is about -90 dBFS) and just above it.
    std::vector<float> pcm = clip(3.0, analyzer.model_rate(), 2);
    const float peak = std::abs(*std::max_element(pcm.begin(), pcm.end(), [](float a, float b) { return std::abs(a) < std::abs(b); }));
    for (float& x : pcm) x *= static_cast<float>(std::pow(10.0, -85.0 / 20.0)) / peak;
    CHECK_THROWS_WITH_AS(analyzer.analyse(pcm), doctest::Contains("loudest sample is at -85 dBFS"), std::invalid_argument);
    for (float& x : pcm) x *= static_cast<float>(std::pow(10.0, 10.0 / 20.0));  // -75 dBFS
    const ClipResult quiet = analyzer.analyse(pcm).result;
    CHECK(quiet.speech_s > little_speech_s);
    CHECK(std::accumulate(quiet.probabilities.begin(), quiet.probabilities.end(), 0.0f) == doctest::Approx(1.0f));
}

}
