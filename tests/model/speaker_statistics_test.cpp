// A speaker's input statistics: the same whether windows arrive before or after the
// network's normalisation, the model's own until a window arrives, forgotten on reset.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "model/model_input.h"
#include "model/speaker_statistics.h"
#include "nn/rng.h"
#include "support/random_model.h"

using namespace ser;

namespace {

// Windows of a voice at 6 dB, its first channel twice as varied as the others (the random
// model's training set: mean -40, std 15).
std::vector<std::vector<float>> speaker_windows(const Model& m, int count) {
    const nn::Shape in = m.network.input_shape();
    std::uint64_t draw = 0;
    std::vector<std::vector<float>> out;
    for (int w = 0; w < count; ++w) {
        std::vector<float> x(static_cast<std::size_t>(in.size()));
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = nn::counter_uniform(3, draw++, -20.0f, 20.0f) * (i < static_cast<std::size_t>(in.time) ? 2.0f : 1.0f) + 6.0f;
        out.push_back(x);
    }
    return out;
}

}  // namespace

TEST_CASE("speaker statistics: the model's own normalisation until a window arrives, the speaker's after") {
    const Model m = test::random_model();
    SpeakerStatistics stats(m);
    CHECK(stats.windows() == 0);
    CHECK(stats.normalisation().mean == m.normalisation.mean);
    for (const auto& w : speaker_windows(m, 5)) stats.add_centred(w);
    CHECK(stats.windows() == 5);
    const Normalisation n = stats.normalisation();
    CHECK(n.mean[0] == doctest::Approx(6.0).epsilon(0.1));
    CHECK(n.mean[1] == doctest::Approx(6.0).epsilon(0.1));
    CHECK(n.std[0] == doctest::Approx(40.0 / std::sqrt(3.0)).epsilon(0.05));  // uniform(-40, 40)
    CHECK(n.std[1] == doctest::Approx(20.0 / std::sqrt(3.0)).epsilon(0.05));
    CHECK(n.per_utterance == m.normalisation.per_utterance);
    stats.reset();
    CHECK(stats.windows() == 0);
    CHECK(stats.normalisation().std == m.normalisation.std);
}

TEST_CASE("speaker statistics from normalised windows equal those from the windows themselves") {
    const Model m = test::random_model();
    const nn::Shape in = m.network.input_shape();
    SpeakerStatistics direct(m), undone(m);
    for (auto w : speaker_windows(m, 4)) {
        direct.add_centred(w);
        normalise_input(w, in.channels, in.time, false, m.normalisation);  // as the predictor feeds the network
        undone.add_normalised(w, m.normalisation);
    }
    const Normalisation a = direct.normalisation(), b = undone.normalisation();
    for (std::size_t k = 0; k < a.mean.size(); ++k) {
        CHECK(b.mean[k] == doctest::Approx(a.mean[k]).epsilon(1e-5));
        CHECK(b.std[k] == doctest::Approx(a.std[k]).epsilon(1e-4));
    }
}

TEST_CASE("speaker statistics refuse a window of the wrong size and a foreign normalisation") {
    const Model m = test::random_model();
    SpeakerStatistics stats(m);
    const std::vector<float> short_window(10, 0.0f);
    CHECK_THROWS_AS(stats.add_centred(short_window), std::invalid_argument);
    Normalisation other = m.normalisation;
    other.mean.push_back(0.0f);
    other.std.push_back(1.0f);
    const nn::Shape in = m.network.input_shape();
    const std::vector<float> window(static_cast<std::size_t>(in.size()), 0.0f);
    CHECK_THROWS_AS(stats.add_normalised(window, other), std::invalid_argument);
    CHECK(stats.windows() == 0);
}
