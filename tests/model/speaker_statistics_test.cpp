// A speaker's input statistics: the model's own until a window arrives, the speaker's
// after; a window of the wrong size is refused.
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
}

TEST_CASE("speaker statistics refuse a window of the wrong size") {
    const Model m = test::random_model();
    SpeakerStatistics stats(m);
    const std::vector<float> short_window(10, 0.0f);
    CHECK_THROWS_AS(stats.add_centred(short_window), std::invalid_argument);
    CHECK(stats.windows() == 0);
}
