// After warm-up, the predictor (features, normalisation, network) allocates nothing.
#include <doctest/doctest.h>

#include "../nn/allocation_counter.h"
#include "model/predictor.h"
#include "support/random_model.h"

using namespace ser;

TEST_CASE("predictor inference allocates nothing after warm-up") {
    const Model m = test::random_model();
    Predictor p(m);
    const auto pcm = synthesise({2.0, 150.0, 3000.0, 0.3}, 16000);
    p.probabilities(pcm);  // warm-up for this length
    const long before = test::allocation_count();
    for (int i = 0; i < 5; ++i) p.probabilities(pcm);
    CHECK(test::allocation_count() == before);
}
