#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/analyzer.h"
#include "app/state/live_timeline.h"
#include "app_test_models.h"
#include "audio/resampler.h"
#include "nn/rng.h"

using ser::app::LiveTimeline;
using ser::app::LiveState;

namespace {

constexpr int device_rate = 48000;
constexpr std::size_t block = 960;  // 20 ms, as the page's worklet batches them

// Feeds pcm in worklet-sized blocks; the page clock is the audio's own time.
void play(LiveTimeline& live, const std::vector<float>& pcm, double& clock_ms) {
    for (std::size_t at = 0; at < pcm.size(); at += block) {
        const auto piece = std::span(pcm).subspan(at, std::min(block, pcm.size() - at));
        clock_ms += 1000.0 * static_cast<double>(piece.size()) / device_rate;
        live.push(piece, clock_ms);
    }
}

std::vector<float> noise(double seconds, float amplitude, std::uint64_t seed) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * device_rate));
    for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = amplitude * ser::nn::counter_uniform(seed, i, -1.0f, 1.0f);
    return pcm;
}

}  // namespace

TEST_CASE("the live timeline gives a clip's windows of the same audio, hop by hop") {
    const ser::Model model = ser::test::frame_model();
    LiveTimeline live(model, device_rate, ser::LiveSettings{}, 0.0);
    const std::vector<float> pcm = ser::test::test_audio(8.0, device_rate);
    double clock = 0.0;
    play(live, pcm, clock);

    // The first result: after the first second of audio (LiveSettings::min_window_s).
    CHECK(live.first_result_ms() >= 1000.0);
    CHECK(live.first_result_ms() <= 1030.0);
    // Hops at 1.0, 1.25, ... 7.75 s: the hop at 8.0 s waits for the audio after it, which
    // the resampler needs for the last samples before it.
    CHECK(live.results() == 28);
    REQUIRE(live.points() == 28);

    const ser::ClipResult offline = ser::Analyzer(model, 16000).analyse(ser::resample(pcm, device_rate, 16000)).result;
    std::size_t compared = 0, speech = 0;
    for (std::size_t i = 0; i < live.points(); ++i) {
        const ser::app::LivePoint p = live.point(i);
        if (p.end_s < 2.0) continue;  // windows shorter than the model's have no offline twin
        const auto w = static_cast<std::size_t>(std::lround((p.end_s - 2.0) / 0.25));
        REQUIRE(w < offline.windows.size());
        CAPTURE(p.end_s);
        CHECK(offline.windows[w].end_s == doctest::Approx(p.end_s));
        CHECK(p.speech == offline.windows[w].activity.is_speech);
        if (p.speech) {
            for (std::size_t c = 0; c < model.labels.size(); ++c)
                CHECK(p.probabilities[c] == doctest::Approx(offline.windows[w].probabilities[c]).epsilon(1e-5));
            ++speech;
        }
        ++compared;
    }
    CHECK(compared + 1 == offline.windows.size());  // all but the one ending at 8.0 s
    CHECK(speech > 10);
    CHECK(live.state() == LiveState::speech);
    CHECK_FALSE(live.current().empty());

    const ser::app::LiveCost cost = live.cost();
    CHECK(cost.hops == 28);
    std::int64_t speech_points = 0;
    for (std::size_t i = 0; i < live.points(); ++i) speech_points += live.point(i).speech ? 1 : 0;
    CHECK(cost.speech_hops == speech_points);  // the cost is of the hops that ran the network
    CHECK(cost.max_ms >= cost.p95_ms);
    CHECK(cost.p95_ms >= cost.median_ms);
    CHECK(cost.real_time_factor > 0.0);
    CHECK(cost.feature_ms > 0.0);  // the features were timed on their own
}

TEST_CASE("silence and steady noise are shown as such, not as an emotion") {
    const ser::Model model = ser::test::frame_model();
    LiveTimeline live(model, device_rate, ser::LiveSettings{}, 0.0, 2.0);
    double clock = 0.0;
    CHECK(live.state() == LiveState::listening);
    play(live, ser::test::test_audio(3.0, device_rate), clock);
    CHECK(live.state() == LiveState::speech);
    play(live, noise(3.0, 1e-4f, 1), clock);  // -80 dBFS
    CHECK(live.state() == LiveState::silence);
    CHECK_FALSE(live.point(live.points() - 1).speech);
    CHECK(live.point(live.points() - 1).probabilities.empty());
    // A fan: loud and steady. (The windows across the step from silence look modulated.)
    play(live, noise(4.5, 0.2f, 2), clock);
    CHECK(live.state() == LiveState::noise);
    CHECK(live.current().empty());  // long enough without speech: the smoothing forgot
    CHECK(live.points() == 9);      // two seconds of history at 0.25 s hops, and the latest
    CHECK(live.point(8).end_s == doctest::Approx(10.25));

    live.set_activity_threshold(0.0f);  // nothing reaches 0 dBFS: everything is silence
    play(live, ser::test::test_audio(2.0, device_rate), clock);
    CHECK(live.state() == LiveState::silence);
}

TEST_CASE("the window and hop settings change what the live analysis slices") {
    const ser::Model model = ser::test::frame_model();
    ser::LiveSettings settings;
    settings.hop_s = 0.5;
    settings.window_s = 3.0;
    LiveTimeline live(model, 44100, settings, 0.0);
    CHECK(live.hop_s() == 0.5);
    CHECK(live.window_s() == 3.0);
    std::vector<float> pcm = ser::test::test_audio(4.0, 44100);
    for (std::size_t at = 0; at < pcm.size(); at += 1024)
        live.push(std::span(pcm).subspan(at, std::min<std::size_t>(1024, pcm.size() - at)), 0.0);
    CHECK(live.results() == 6);  // 1.0, 1.5, ... 3.5 s
}
