#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

#include "audio/pcm_checks.h"
#include "features/deltas.h"
#include "features/feature_extractor.h"
#include "features/framing.h"

using namespace ser;

namespace {

std::vector<float> chirp(int rate, double seconds) {
    std::vector<float> x(static_cast<std::size_t>(rate * seconds));
    double phase = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double hz = 100.0 + 3000.0 * static_cast<double>(i) / static_cast<double>(x.size());
        phase += 2.0 * std::numbers::pi * hz / rate;
        x[i] = static_cast<float>(0.4 * std::sin(phase));
    }
    return x;
}

bool all_finite(const std::vector<float>& values) {
    return std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); });
}

void check_all_finite(const std::map<std::string, FeatureMatrix>& features) {
    for (const auto& entry : features) {
        const std::string& name = entry.first;
        const FeatureMatrix& m = entry.second;
        INFO(name);
        CHECK(m.values.size() == static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols));
        CHECK(all_finite(m.values));
    }
}

FeatureConfig with_deltas(FeatureConfig c) {
    c.deltas.order = 2;
    c.deltas.of = {"mfcc", "rms"};
    c.input.features = {"mfcc", "mfcc_delta", "mfcc_delta2", "rms_delta"};
    return c;
}

}  // namespace

TEST_SUITE("features.extractor") {

TEST_CASE("frame counts follow librosa's framing") {
    CHECK(frame_count(0, 2048, 512, true) == 0);
    CHECK(frame_count(1, 2048, 512, true) == 1);
    CHECK(frame_count(44100, 2048, 512, true) == 87);
    CHECK(frame_count(32000, 512, 160, true) == 201);
    CHECK(frame_count(399, 400, 160, false) == 0);
    CHECK(frame_count(400, 400, 160, false) == 1);
    CHECK(frame_count(32000, 400, 160, false) == 198);
}

TEST_CASE("numpy.pad modes at the edges") {
    const std::vector<float> x{1, 2, 3};
    std::vector<float> out(13);
    copy_padded(x, -5, 13, PadMode::reflect, out.data());
    CHECK(out == std::vector<float>{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2});
    copy_padded(x, -5, 13, PadMode::edge, out.data());
    CHECK(out == std::vector<float>{1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3});
    copy_padded(x, -5, 13, PadMode::constant, out.data());
    CHECK(out == std::vector<float>{0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0});
    const std::vector<float> one{7};
    std::vector<float> three(3);
    copy_padded(one, -1, 3, PadMode::reflect, three.data());
    CHECK(three == std::vector<float>{7, 7, 7});
}

TEST_CASE("compute stacks the input features as compute_named has them, or pools them") {
    FeatureConfig c = with_deltas(feature_preset("default"));
    c.input.features = {"zcr", "mel_db", "mfcc_delta", "rms"};
    FeatureExtractor extractor(c);
    CHECK(extractor.channels() == 1 + 64 + 40 + 1);
    const auto pcm = chirp(16000, 1.0);
    const auto named = extractor.compute_named(pcm);
    FeatureMatrix stacked;
    extractor.compute(pcm, stacked);
    const int frames = extractor.frames_for(pcm.size());
    REQUIRE(stacked.rows == extractor.channels());
    REQUIRE(stacked.cols == frames);
    int row = 0;
    for (const auto& name : c.input.features) {
        const FeatureMatrix& m = named.at(name);
        int mismatches = 0;
        for (int r = 0; r < m.rows; ++r, ++row)
            for (int t = 0; t < frames; ++t) mismatches += stacked.at(row, t) != m.at(r, t);
        CHECK(mismatches == 0);
    }
    c.input.pooling = Pooling::mean;
    FeatureExtractor pooled(c);
    FeatureMatrix means;
    pooled.compute(pcm, means);
    REQUIRE(means.rows == 1);
    REQUIRE(means.cols == extractor.channels());
    double sum = 0.0;
    for (int t = 0; t < frames; ++t) sum += named.at("mel_db").at(10, t);
    CHECK(means.at(0, 1 + 10) == doctest::Approx(sum / frames).epsilon(1e-6));
}

TEST_CASE("compute reuses its buffers: the same length twice gives the same numbers in place") {
    FeatureExtractor extractor(feature_preset("recipe162"));
    const auto pcm = chirp(22050, 0.5);
    FeatureMatrix a, b;
    extractor.compute(pcm, a);
    const float* storage = a.values.data();
    extractor.compute(pcm, a);
    CHECK(a.values.data() == storage);
    extractor.compute(chirp(22050, 0.25), b);  // another length in between
    extractor.compute(pcm, b);
    CHECK(a.values == b.values);
}

TEST_CASE("deltas are librosa's Savitzky-Golay derivatives with interpolated edges") {
    Matrix ramp;
    ramp.resize(1, 20);
    for (int t = 0; t < 20; ++t) ramp.at(0, t) = 3.0 * t + 0.25 * t * t;
    Matrix d1, d2;
    delta(ramp, 9, 1, d1);
    delta(ramp, 9, 2, d2);
    for (int t = 4; t < 16; ++t) {
        CHECK(d1.at(0, t) == doctest::Approx(3.0 + 0.5 * t));  // the slope of a parabola is exact at the centre
        CHECK(d2.at(0, t) == doctest::Approx(0.5));
    }
    for (int t = 0; t < 4; ++t) CHECK(d1.at(0, t) == d1.at(0, 4));
    for (int t = 16; t < 20; ++t) CHECK(d1.at(0, t) == d1.at(0, 15));
    Matrix shorter;
    shorter.resize(2, 8);
    CHECK_THROWS_WITH_AS(delta(shorter, 9, 1, d1), doctest::Contains("at least deltas.width = 9 frames"), std::invalid_argument);
}

TEST_CASE("robustness: lengths 0, 1, n_fft - 1 and a very long input") {
    for (const std::string preset : {"librosa", "default"}) {
        CAPTURE(preset);
        const FeatureConfig c = feature_preset(preset);
        FeatureExtractor extractor(c);
        for (std::size_t n : {std::size_t{0}, std::size_t{1}, static_cast<std::size_t>(c.stft.n_fft - 1)}) {
            CAPTURE(n);
            std::vector<float> pcm(n, 0.3f);
            const auto named = extractor.compute_named(pcm);
            check_all_finite(named);
            CHECK(named.at("mfcc").cols == extractor.frames_for(n));
        }
        // Pooling needs a frame; deltas need `width` frames: both say so.
        FeatureConfig pooled = c;
        pooled.input.pooling = Pooling::mean;
        FeatureExtractor pooler(pooled);
        FeatureMatrix out;
        CHECK_THROWS_WITH_AS(pooler.compute({}, out), doctest::Contains("no frame"), std::invalid_argument);
        FeatureExtractor with(with_deltas(c));
        CHECK_THROWS_AS(with.compute(std::vector<float>(static_cast<std::size_t>(c.stft.n_fft), 0.1f), out),
                        std::invalid_argument);
    }
    // Ten minutes of the default preset: 59998 frames, every value finite.
    FeatureExtractor live(feature_preset("default"));
    std::vector<float> long_input(16000 * 600);
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    for (float& v : long_input) v = noise(rng);
    FeatureMatrix out;
    live.compute(long_input, out);
    CHECK(out.cols == 59998);
    CHECK(all_finite(out.values));
}

TEST_CASE("robustness: digital silence and full-scale noise") {
    for (const std::string preset : {"librosa", "default"}) {
        CAPTURE(preset);
        const FeatureConfig c = feature_preset(preset);
        FeatureExtractor extractor(c);
        const auto silence = extractor.compute_named(std::vector<float>(static_cast<std::size_t>(c.sample_rate), 0.0f));
        check_all_finite(silence);
        for (float v : silence.at("mel_db").values) CHECK(v == doctest::Approx(-100.0));  // 10 log10(amin)
        for (float v : silence.at("chroma").values) CHECK(v == 0.0f);
        for (float v : silence.at("zcr").values) CHECK(v == 0.0f);
        for (float v : silence.at("rms").values) CHECK(v == 0.0f);

        std::vector<float> noise(static_cast<std::size_t>(c.sample_rate));
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> full_scale(-1.0f, 1.0f);
        for (float& v : noise) v = full_scale(rng);
        const auto loud = extractor.compute_named(noise);
        check_all_finite(loud);
        const FeatureMatrix& rms = loud.at("rms");
        CHECK(rms.at(0, rms.cols / 2) == doctest::Approx(1.0 / std::sqrt(3.0)).epsilon(0.05));
        const FeatureMatrix& zcr = loud.at("zcr");
        CHECK(zcr.at(0, zcr.cols / 2) == doctest::Approx(0.5).epsilon(0.1));
    }
}

TEST_CASE("robustness: NaN and infinite samples are refused, never propagated") {
    FeatureExtractor extractor(feature_preset("default"));
    std::vector<float> pcm(8000, 0.1f);
    pcm[1234] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_WITH_AS(extractor.compute_named(pcm), doctest::Contains("sample 1234 is NaN"), std::invalid_argument);
    FeatureMatrix out;
    pcm[1234] = -std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH_AS(extractor.compute(pcm, out), doctest::Contains("sample 1234 is infinite"), std::invalid_argument);
}

TEST_CASE("robustness: the loudest accepted audio keeps every feature finite; louder is refused") {
    for (const std::string preset : {"librosa", "default", "recipe162"}) {
        CAPTURE(preset);
        const FeatureConfig c = feature_preset(preset);
        // A square wave at the bound: its DC and odd harmonics are the largest powers any
        // frame of accepted audio can reach.
        std::vector<float> pcm(static_cast<std::size_t>(c.sample_rate));
        for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = (i / 50) % 2 ? max_pcm_magnitude : -max_pcm_magnitude;
        FeatureExtractor extractor(c);
        check_all_finite(extractor.compute_named(pcm));
        std::fill(pcm.begin(), pcm.begin() + 100, max_pcm_magnitude);  // a long run: the DC bin at the bound
        check_all_finite(extractor.compute_named(pcm));
        pcm[777] = 1e30f;
        CHECK_THROWS_WITH_AS(extractor.compute_named(pcm), doctest::Contains("sample 777 is 1e+30"), std::invalid_argument);
    }
}

TEST_CASE("robustness: extreme sample rates") {
    for (int rate : {8000, 192000}) {
        CAPTURE(rate);
        FeatureConfig c = feature_preset("default");
        c.sample_rate = rate;
        c.mel.fmax.reset();
        FeatureExtractor extractor(c);
        check_all_finite(extractor.compute_named(chirp(rate, 0.5)));
        FeatureConfig librosa = feature_preset("librosa");
        librosa.sample_rate = rate;
        check_all_finite(FeatureExtractor(librosa).compute_named(chirp(rate, 0.5)));
    }
}

}
