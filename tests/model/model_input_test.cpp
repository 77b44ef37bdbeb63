// Windows as the network sees them: slicing, looping, the speech frames of a window, the
// floor, and the weight each window has in its clip's mean.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <numeric>

#include "analysis/analyzer.h"
#include "model/model_input.h"
#include "support/random_model.h"

using namespace ser;

namespace {

// A dB feature matrix whose frame t has every row at levels[t] + row * 0.5.
FeatureMatrix matrix_of(const std::vector<float>& levels, int rows = 4) {
    FeatureMatrix m;
    m.rows = rows;
    m.cols = static_cast<int>(levels.size());
    m.values.resize(static_cast<std::size_t>(rows) * levels.size());
    for (int r = 0; r < rows; ++r)
        for (std::size_t t = 0; t < levels.size(); ++t) m.values[static_cast<std::size_t>(r) * levels.size() + t] = levels[t] + 0.5f * r;
    return m;
}

Normalisation speech_only(double range_db, double floor_db = 0.0) {
    Normalisation n;
    n.per_utterance = true;
    n.speech_range_db = range_db;
    n.floor_db = floor_db;
    return n;
}

std::vector<float> gathered(const FeatureMatrix& m, int start, int window, const Normalisation& n) {
    std::vector<float> levels, out(static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(window));
    std::vector<int> kept;
    if (n.speech_range_db > 0.0) frame_levels(m, n.level_rows, levels);
    gather_window(m, levels, start, window, n, out, kept);
    return out;
}

}  // namespace

TEST_CASE("without a speech range a window is the frames as they are, a short clip looped") {
    const FeatureMatrix m = matrix_of({-10, -20, -30});
    const std::vector<float> out = gathered(m, 0, 5, Normalisation{});
    CHECK(out[0] == -10.0f);
    CHECK(out[3] == -10.0f);  // frame 3 wraps to frame 0
    CHECK(out[4] == -20.0f);
}

TEST_CASE("frame levels are the power sum of the rows in dB") {
    const FeatureMatrix m = matrix_of({-100, 0}, 1);
    std::vector<float> levels;
    frame_levels(m, 0, levels);
    CHECK(levels[0] == doctest::Approx(-100.0).epsilon(1e-4));
    CHECK(levels[1] == doctest::Approx(0.0).epsilon(1e-4));
    FeatureMatrix two = matrix_of({-3.0103f}, 2);
    two.values[1] = -3.0103f;  // two rows of half power: 0 dB in all
    frame_levels(two, 0, levels);
    CHECK(levels[0] == doctest::Approx(0.0).epsilon(1e-3));
}

TEST_CASE("a window's speech frames are kept in order and looped, every row alike") {
    // Levels that keep frames 1, 2 and 4 of the window starting at frame 1 (range 10 dB).
    const FeatureMatrix m = matrix_of({-50, 0, -5, -40, -8, -60, -70}, 3);
    const Normalisation n = [] {
        Normalisation k;
        k.speech_range_db = 10.0;
        return k;
    }();
    const int window = 8;
    const std::vector<float> out = gathered(m, 1, window, n);
    const int kept[] = {1, 2, 4};  // of frames 1..6: 0, -5, -40, -8, -60, -70 dB
    for (int r = 0; r < m.rows; ++r)
        for (int t = 0; t < window; ++t) {
            CAPTURE(r);
            CAPTURE(t);
            CHECK(out[static_cast<std::size_t>(r * window + t)] == m.at(r, kept[t % 3]));
        }
    // Every frame kept: the window is the frames as they are.
    const std::vector<float> all = gathered(m, 1, 2, n);
    CHECK(all == std::vector<float>{m.at(0, 1), m.at(0, 2), m.at(1, 1), m.at(1, 2), m.at(2, 1), m.at(2, 2)});
}

TEST_CASE("per-utterance normalisation removes each channel's own mean, for any channel count") {
    for (const int channels : {1, 7, 8, 11, 17}) {
        CAPTURE(channels);
        const int time = 13;
        std::vector<float> input(static_cast<std::size_t>(channels * time));
        for (std::size_t i = 0; i < input.size(); ++i) input[i] = std::sin(0.37f * static_cast<float>(i)) * 40.0f - 20.0f;
        std::vector<float> expected = input;
        for (int c = 0; c < channels; ++c) {  // one channel at a time, summed in double in time order
            double sum = 0.0;
            for (int t = 0; t < time; ++t) sum += expected[static_cast<std::size_t>(c * time + t)];
            const auto mean = static_cast<float>(sum / time);
            for (int t = 0; t < time; ++t) expected[static_cast<std::size_t>(c * time + t)] -= mean;
        }
        Normalisation n;
        n.per_utterance = true;
        normalise_input(input, channels, time, false, n);
        CHECK(input == expected);
    }
}

TEST_CASE("silence around and between the speech never reaches the network") {
    const Normalisation n = speech_only(40.0);
    const FeatureMatrix speech = matrix_of({-20, -15, -25});
    const FeatureMatrix padded = matrix_of({-100, -100, -20, -100, -15, -25, -100, -100});
    // The speech frames of the padded window, looped, are exactly the speech clip looped.
    CHECK(gathered(padded, 0, 8, n) == gathered(speech, 0, 8, n));
}

TEST_CASE("a speaker's level does not change the normalised window") {
    const Normalisation n = speech_only(40.0, 60.0);
    const FeatureMatrix loud = matrix_of({-20, -15, -60, -25, -95, -30});
    std::vector<float> quiet_levels = {-20, -15, -60, -25, -95, -30};
    for (float& v : quiet_levels) v -= 20.0f;
    const FeatureMatrix quiet = matrix_of(quiet_levels);
    std::vector<float> a = gathered(loud, 0, 6, n), b = gathered(quiet, 0, 6, n);
    normalise_input(a, 4, 6, false, n);
    normalise_input(b, 4, 6, false, n);
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-4));
}

TEST_CASE("the floor raises what lies far below the window's peak, and only that") {
    Normalisation n;
    n.floor_db = 60.0;
    std::vector<float> x = {-10.0f, -50.0f, -100.0f, -69.0f};
    normalise_input(x, 1, 4, false, n);
    CHECK(x == std::vector<float>{-10.0f, -50.0f, -70.0f, -69.0f});
    // Past a few vectors, the peak anywhere (here in the tail after the last whole vector).
    for (const std::size_t size : {std::size_t{37}, std::size_t{64}, std::size_t{203}}) {
        CAPTURE(size);
        std::vector<float> y(size), expected(size);
        for (std::size_t i = 0; i < size; ++i) y[i] = -90.0f + 7.0f * std::sin(static_cast<float>(i));
        y[size - 1] = -5.0f;
        for (std::size_t i = 0; i < size; ++i) expected[i] = std::max(y[i], -65.0f);
        normalise_input(y, 1, static_cast<int>(size), false, n);
        CHECK(y == expected);
    }
}

TEST_CASE("windows of silence count for nothing in a clip's mean") {
    const Normalisation n = speech_only(30.0);
    std::vector<float> levels(10, -100.0f);
    levels[6] = -10.0f;
    levels[7] = -20.0f;
    const std::vector<int> starts = {0, 2, 4, 6};
    const WindowWeights w = weigh_windows(levels, starts, 4, n);
    CHECK(w.weights == std::vector<float>{0.0f, 0.0f, 2.0f, 2.0f});
    CHECK(w.speech_frames == 2);
    const WindowWeights plain = weigh_windows(levels, starts, 4, Normalisation{});
    CHECK(plain.weights == std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f});
    CHECK(plain.speech_frames == 10);
}

TEST_CASE("a model file keeps its speech range and floor, and refuses them for features not in dB") {
    Model m = test::random_model();
    m.normalisation.per_utterance = true;
    m.normalisation.speech_range_db = 35.0;
    m.normalisation.floor_db = 60.0;
    const Model loaded = load_model(save_model(m));
    CHECK(loaded.normalisation.speech_range_db == 35.0);
    CHECK(loaded.normalisation.floor_db == 60.0);
    nlohmann::json j = nlohmann::json::parse(save_model(m));
    j["normalisation"]["speech_range_db"] = -1;
    CHECK_THROWS_WITH_AS(load_model(j.dump()), doctest::Contains("speech_range_db"), ModelError);
    j = nlohmann::json::parse(save_model(m));
    j["feature_config"]["input"]["features"] = {"mfcc"};
    CHECK_THROWS_WITH_AS(load_model(j.dump()), doctest::Contains("need frame inputs that start in dB"), ModelError);
}

TEST_CASE("a clip framed by digital silence gets the answer of the clip itself") {
    Model m = test::random_model();
    m.normalisation.per_utterance = true;
    m.normalisation.speech_range_db = 40.0;
    m.normalisation.floor_db = 70.0;
    const Model model = load_model(save_model(m));
    Analyzer analyzer(model, model.features.sample_rate);
    // A voiced sound whose loudness rises and falls like syllables, 1.5 s long.
    std::vector<float> speech(24000);
    for (std::size_t i = 0; i < speech.size(); ++i) {
        const double t = static_cast<double>(i) / 16000.0;
        speech[i] = static_cast<float>(0.3 * (0.55 + 0.45 * std::sin(2 * std::numbers::pi * 4 * t)) *
                                       (std::sin(2 * std::numbers::pi * 180 * t) + 0.5 * std::sin(2 * std::numbers::pi * 360 * t) + 0.25 * std::sin(2 * std::numbers::pi * 900 * t)));
    }
    std::vector<float> framed(16000, 0.0f);
    framed.insert(framed.end(), speech.begin(), speech.end());
    framed.resize(framed.size() + 16000, 0.0f);
    const ClipResult alone = analyzer.analyse(speech).result;
    const ClipResult padded = analyzer.analyse(framed).result;
    CHECK(padded.label == alone.label);
    for (std::size_t c = 0; c < alone.probabilities.size(); ++c)
        CHECK(padded.probabilities[c] == doctest::Approx(alone.probabilities[c]).epsilon(0.05));
    CHECK(alone.speech_s == doctest::Approx(1.5).epsilon(0.05));
    CHECK(padded.speech_s == doctest::Approx(alone.speech_s).epsilon(0.05));
}

TEST_CASE("a clip of a tenth of a second is classified, and says how little speech it holds") {
    Model m = test::random_model();
    m.normalisation.per_utterance = true;
    m.normalisation.speech_range_db = 40.0;
    const Model model = load_model(save_model(m));
    Analyzer analyzer(model, model.features.sample_rate);
    std::vector<float> word(1600);
    for (std::size_t i = 0; i < word.size(); ++i) word[i] = static_cast<float>(0.2 * std::sin(2 * std::numbers::pi * 220 * i / 16000.0));
    const ClipResult r = analyzer.analyse(word).result;
    CHECK(r.speech_s < little_speech_s);
    CHECK(r.speech_s > 0.0);
    CHECK(std::accumulate(r.probabilities.begin(), r.probabilities.end(), 0.0) == doctest::Approx(1.0));
    CHECK_THROWS_WITH_AS(analyzer.analyse(std::span(word).first(100)), doctest::Contains("shorter than one analysis frame"),
                         std::invalid_argument);
}
