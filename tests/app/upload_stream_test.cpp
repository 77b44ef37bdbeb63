#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/analyzer.h"
#include "app_test_models.h"
#include "audio/resampler.h"
#include "nn/rng.h"

using ser::Analyzer;
using ser::ClipResult;
using ser::ClipSettings;
using ser::StreamedClip;

namespace {

// Pushes pcm in pieces of random sizes (1 sample to 1.5 s), as a decoder hands them out.
StreamedClip stream_in_pieces(Analyzer& stream, const std::vector<float>& pcm, std::uint64_t seed) {
    for (std::size_t at = 0, k = 0; at < pcm.size(); ++k) {
        const auto size = std::min(pcm.size() - at, static_cast<std::size_t>(1.0f + ser::nn::counter_uniform(seed, k, 0.0f, 24000.0f)));
        stream.push(std::span(pcm).subspan(at, size));
        at += size;
    }
    return stream.finish();
}

// The whole clip at the model's rate in one push, as `ser predict` analyses a file.
ClipResult whole_clip(const ser::Model& model, const std::vector<float>& pcm) {
    return Analyzer(model, model.features.sample_rate).analyse(pcm).result;
}

void check_same(const ClipResult& streamed, const ClipResult& whole, float tolerance) {
    REQUIRE(streamed.windows.size() == whole.windows.size());
    CHECK(streamed.label == whole.label);
    REQUIRE(streamed.probabilities.size() == whole.probabilities.size());
    for (std::size_t c = 0; c < whole.probabilities.size(); ++c)
        CHECK(std::fabs(streamed.probabilities[c] - whole.probabilities[c]) <= tolerance);
    for (std::size_t w = 0; w < whole.windows.size(); ++w) {
        const auto& a = streamed.windows[w];
        const auto& b = whole.windows[w];
        CAPTURE(w);
        CHECK(a.start_s == b.start_s);
        CHECK(a.end_s == b.end_s);
        CHECK(a.activity.is_speech == b.activity.is_speech);
        CHECK(a.activity.loud_dbfs == b.activity.loud_dbfs);
        for (std::size_t c = 0; c < b.probabilities.size(); ++c)
            CHECK(std::fabs(a.probabilities[c] - b.probabilities[c]) <= tolerance);
    }
}

}  // namespace

TEST_CASE("a frame-local model's clip streamed in pieces equals the whole clip analysed at once") {
    const ser::Model model = ser::test::frame_model();
    for (const double seconds : {5.3, 1.2, 2.0}) {  // several windows; one looped window; exactly one
        CAPTURE(seconds);
        const std::vector<float> pcm = ser::test::test_audio(seconds, 16000);
        Analyzer stream(model, 16000);
        CHECK(stream.streaming());
        const StreamedClip streamed = stream_in_pieces(stream, pcm, 3);
        CHECK(streamed.exact);
        CHECK(streamed.note.empty());
        CHECK(streamed.seconds == doctest::Approx(seconds));
        const ClipResult whole = whole_clip(model, pcm);
        check_same(streamed.result, whole, 1e-6f);
    }
}

TEST_CASE("a clip at another rate is resampled as it streams, as the CLI resamples the whole file") {
    const ser::Model model = ser::test::frame_model();
    const std::vector<float> pcm = ser::test::test_audio(3.7, 44100, 11);
    Analyzer stream(model, 44100);
    const StreamedClip streamed = stream_in_pieces(stream, pcm, 5);
    const ClipResult whole = whole_clip(model, ser::resample(pcm, 44100, 16000));
    check_same(streamed.result, whole, 1e-6f);
    CHECK(streamed.result.windows.size() == 7);  // windows at 0, 0.25, ... 1.5 s fit in 3.7 s
}

TEST_CASE("the windows already analysed are let go: a long clip holds about one window of audio") {
    const ser::Model model = ser::test::frame_model();
    Analyzer stream(model, 16000);
    const std::vector<float> piece = ser::test::test_audio(1.0, 16000);
    std::size_t most_held = 0;
    for (int i = 0; i < 30; ++i) {
        stream.push(piece);
        most_held = std::max(most_held, stream.buffered_samples());
    }
    // A window (2 s) plus a piece (1 s), and the compaction's slack of as much again.
    CHECK(most_held <= 2 * (32000 + 16000));
    const StreamedClip result = stream.finish();
    CHECK(result.seconds == doctest::Approx(30.0));
    CHECK(result.result.windows.size() == 113);  // (30 - 2) / 0.25 + 1
    CHECK(result.result.windows.back().end_s == doctest::Approx(30.0));
}

TEST_CASE("a pooled model keeps the whole clip and equals the whole clip analysed at once exactly") {
    const ser::Model model = ser::test::pooled_model();
    const std::vector<float> pcm = ser::test::test_audio(3.1, 22050, 13);
    Analyzer stream(model, 22050);
    CHECK_FALSE(stream.streaming());
    const StreamedClip streamed = stream_in_pieces(stream, pcm, 9);
    CHECK(streamed.exact);
    check_same(streamed.result, whole_clip(model, pcm), 0.0f);
}

TEST_CASE("past the whole-clip limit a pooled model's clip is analysed window by window, and says so") {
    const ser::Model model = ser::test::pooled_model();
    const std::vector<float> pcm = ser::test::test_audio(4.4, 22050, 17);
    Analyzer stream(model, 22050, ClipSettings{.whole_clip_limit_s = 2.5, .share = {}});
    const StreamedClip streamed = stream_in_pieces(stream, pcm, 21);
    CHECK(stream.streaming());
    CHECK_FALSE(streamed.exact);
    CHECK(streamed.note.find("mean of its windows") != std::string::npos);
    // Each window of a pooled model comes from its own audio: the timeline is still exact.
    const ClipResult whole = whole_clip(model, pcm);
    REQUIRE(streamed.result.windows.size() == whole.windows.size());
    std::vector<float> mean(model.labels.size(), 0.0f);
    for (std::size_t w = 0; w < whole.windows.size(); ++w) {
        CHECK(streamed.result.windows[w].start_s == whole.windows[w].start_s);
        for (std::size_t c = 0; c < mean.size(); ++c) {
            CHECK(streamed.result.windows[w].probabilities[c] == whole.windows[w].probabilities[c]);
            mean[c] += whole.windows[w].probabilities[c] / static_cast<float>(whole.windows.size());
        }
    }
    for (std::size_t c = 0; c < mean.size(); ++c) CHECK(streamed.result.probabilities[c] == doctest::Approx(mean[c]));
}

TEST_CASE("a pooled model's clip announced as longer than the limit never holds it whole") {
    const ser::Model model = ser::test::pooled_model();
    Analyzer stream(model, 22050, ClipSettings{.whole_clip_limit_s = 2.5, .expected_s = 4.4, .share = {}});
    CHECK(stream.streaming());
    const std::vector<float> pcm = ser::test::test_audio(4.4, 22050, 17);
    stream.push(pcm);
    CHECK(stream.buffered_samples() < pcm.size());  // windows analysed and let go already
    CHECK_FALSE(stream.finish().exact);
}

TEST_CASE("bad audio is refused with a message and leaves the stream usable") {
    const ser::Model model = ser::test::frame_model();
    Analyzer empty(model, 16000);
    CHECK_THROWS_WITH_AS(empty.finish(), doctest::Contains("empty"), std::invalid_argument);

    Analyzer stream(model, 16000);
    std::vector<float> pcm = ser::test::test_audio(2.5, 16000);
    std::vector<float> bad(100, 0.1f);
    bad[42] = NAN;
    CHECK_THROWS_AS(stream.push(bad), std::invalid_argument);
    stream.push(pcm);  // the refused block left nothing behind
    const StreamedClip result = stream.finish();
    check_same(result.result, whole_clip(model, pcm), 1e-6f);
    CHECK_THROWS_AS(stream.push(pcm), std::logic_error);

    Analyzer tiny(model, 16000);
    tiny.push(std::vector<float>(160, 0.1f));
    CHECK_THROWS_WITH_AS(tiny.finish(), doctest::Contains("at least"), std::invalid_argument);  // the minimum, as the core words it
    CHECK_THROWS_AS(Analyzer(model, 1000), std::invalid_argument);
}
