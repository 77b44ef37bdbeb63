#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "features/feature_extractor.h"
#include "features/feature_stream.h"
#include "features/frame_levels.h"
#include "features/frame_ring.h"

using namespace ser;

namespace {

std::vector<float> speechlike(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = noise(rng) + 0.3f * std::sin(0.05f * static_cast<float>(i)) * std::sin(0.0007f * static_cast<float>(i));
    return x;
}

// The stream's frames, frame-major, against compute()'s [channel][frame] matrix: bit for bit.
void check_equal(const std::vector<float>& frames, const FeatureMatrix& offline) {
    REQUIRE(frames.size() == offline.values.size());
    int differing_bits = 0;
    for (int t = 0; t < offline.cols; ++t)
        for (int c = 0; c < offline.rows; ++c) {
            const float streamed = frames[static_cast<std::size_t>(t) * static_cast<std::size_t>(offline.rows) + static_cast<std::size_t>(c)];
            const float batch = offline.at(c, t);
            differing_bits += std::memcmp(&streamed, &batch, sizeof(float)) != 0;
        }
    CHECK(differing_bits == 0);
}

FeatureConfig every_frame_feature() {
    FeatureConfig c = feature_preset("default");
    c.input.features = {"mel_power", "mel_db", "mfcc", "chroma", "zcr", "rms", "pitch", "periodicity"};
    return c;
}

}  // namespace

TEST_SUITE("features.stream") {

TEST_CASE("frames pushed in pieces equal the offline frames exactly") {
    const std::vector<float> pcm = speechlike(16000 * 3 + 77, 5);
    for (FeatureConfig config : {feature_preset("default"), every_frame_feature()}) {
        FeatureExtractor extractor(config);
        FeatureMatrix offline;
        extractor.compute(pcm, offline);
        FeatureStream stream(config);
        CHECK(stream.channels() == extractor.channels());
        std::mt19937 rng(9);
        for (int trial = 0; trial < 3; ++trial) {
            std::vector<float> frames;
            std::uniform_int_distribution<std::size_t> piece(0, trial == 0 ? 20 : 3000);
            std::size_t at = 0;
            while (at < pcm.size()) {
                const std::size_t n = std::min(trial == 2 ? std::size_t{128} : piece(rng), pcm.size() - at);
                stream.push(std::span<const float>(pcm).subspan(at, n), frames);
                at += n;
            }
            CHECK(stream.frames_done() == offline.cols);
            check_equal(frames, offline);
            stream.reset();
        }
    }
}

TEST_CASE("a live window's frames are the stream's frames over that window") {
    // The app classifies the last ~2 s every 0.25 s: computing the window offline from its
    // samples gives the frames the stream already produced for it.
    const FeatureConfig config = feature_preset("default");
    const std::vector<float> pcm = speechlike(16000 * 4, 8);
    FeatureStream stream(config);
    std::vector<float> frames;
    stream.push(pcm, frames);
    const std::size_t window_start = 4000 * 160 / 160 * 4;  // a multiple of the hop: frame 100
    const std::size_t first_frame = window_start / 160;
    FeatureExtractor extractor(config);
    FeatureMatrix window;
    extractor.compute(std::span<const float>(pcm).subspan(window_start, 32000), window);
    const auto channels = static_cast<std::size_t>(stream.channels());
    check_equal(std::vector<float>(frames.begin() + static_cast<std::ptrdiff_t>(first_frame * channels),
                                   frames.begin() + static_cast<std::ptrdiff_t>((first_frame + static_cast<std::size_t>(window.cols)) * channels)),
                window);
}

TEST_CASE("a frame ring's latest frames are the feature matrix of their own samples") {
    const FeatureConfig config = feature_preset("default");
    const std::vector<float> pcm = speechlike(16000 * 3 + 11, 6);
    FeatureExtractor extractor(config);
    FrameRing ring(config, 50, true);
    FeatureMatrix held, own;
    std::vector<float> held_levels, own_levels;
    // Small pieces, then one that completes more frames than the ring holds, then small again.
    std::size_t at = 0;
    for (const std::size_t n : {std::size_t{300}, std::size_t{7}, std::size_t{4000}, std::size_t{20000}, std::size_t{161}, std::size_t{5555}}) {
        ring.push(std::span<const float>(pcm).subspan(at, n));
        at += n;
        const auto done = static_cast<int>(ring.frames_done());
        CHECK(done == extractor.frames_for(at));
        REQUIRE(ring.size() == std::min(done, 50));
        if (ring.size() == 0) continue;  // not a frame yet
        for (const int count : {1, std::max(1, ring.size() / 2), ring.size()}) {
            CAPTURE(at);
            CAPTURE(count);
            ring.copy_recent(count, held);
            const auto first = static_cast<std::size_t>(done - count) * 160;
            extractor.compute(std::span<const float>(pcm).subspan(first, static_cast<std::size_t>(count - 1) * 160 + 400), own);
            REQUIRE(own.cols == count);
            CHECK(held.rows == own.rows);
            CHECK(std::memcmp(held.values.data(), own.values.data(), own.values.size() * sizeof(float)) == 0);
            ring.copy_recent_levels(count, held_levels);  // computed once per frame, as a window's own
            frame_levels(own, 0, own_levels);
            CHECK(held_levels == own_levels);
        }
    }
    CHECK_THROWS_AS(ring.copy_recent(51, held), std::invalid_argument);
    ring.reset();
    CHECK(ring.size() == 0);
    CHECK_THROWS_AS(ring.copy_recent(1, held), std::invalid_argument);
    CHECK_THROWS_AS(FrameRing(feature_preset("librosa"), 50), std::invalid_argument);
    FrameRing plain(config, 50);  // keeps no levels unless asked
    plain.push(std::span<const float>(pcm).first(4000));
    plain.copy_recent_levels(1, held_levels);
    CHECK(held_levels.empty());
}

TEST_CASE("a hop longer than the frame skips the samples in between") {
    FeatureConfig config = feature_preset("default");
    config.stft.hop_length = 1000;
    const std::vector<float> pcm = speechlike(9000, 2);
    FeatureExtractor extractor(config);
    FeatureMatrix offline;
    extractor.compute(pcm, offline);
    FeatureStream stream(config);
    std::vector<float> frames;
    for (std::size_t at = 0; at < pcm.size(); at += 333)
        stream.push(std::span<const float>(pcm).subspan(at, std::min<std::size_t>(333, pcm.size() - at)), frames);
    check_equal(frames, offline);
}

TEST_CASE("configs whose frames reach beyond their own samples are refused, saying why") {
    CHECK_THROWS_WITH_AS(FeatureStream(feature_preset("librosa")), doctest::Contains("stft.center"), std::invalid_argument);
    FeatureConfig c = feature_preset("default");
    c.db.span = DbSpan::clip;
    CHECK_THROWS_WITH_AS(FeatureStream{c}, doctest::Contains("db.span"), std::invalid_argument);
    c = feature_preset("default");
    c.input.features = {"chroma"};
    c.chroma.tuning.reset();
    CHECK_THROWS_WITH_AS(FeatureStream{c}, doctest::Contains("chroma.tuning"), std::invalid_argument);
    c = feature_preset("default");
    c.input.pooling = Pooling::mean;
    CHECK_THROWS_WITH_AS(FeatureStream{c}, doctest::Contains("pooling"), std::invalid_argument);
    c = feature_preset("default");
    c.deltas.order = 1;
    c.input.features = {"mfcc", "mfcc_delta"};
    CHECK_THROWS_WITH_AS(FeatureStream{c}, doctest::Contains("deltas"), std::invalid_argument);
}

TEST_CASE("a NaN piece is refused and the stream goes on unchanged") {
    const FeatureConfig config = feature_preset("default");
    const std::vector<float> pcm = speechlike(4000, 4);
    FeatureStream stream(config);
    std::vector<float> frames;
    stream.push(std::span<const float>(pcm).first(1000), frames);
    std::vector<float> bad(50, 0.0f);
    bad[3] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_AS(stream.push(bad, frames), std::invalid_argument);
    stream.push(std::span<const float>(pcm).subspan(1000), frames);
    FeatureExtractor extractor(config);
    FeatureMatrix offline;
    extractor.compute(pcm, offline);
    check_equal(frames, offline);
}

}
