// After warm-up, the predictor (features, normalisation, network) allocates nothing.
#include <doctest/doctest.h>

#include "../nn/allocation_counter.h"
#include "model/predictor.h"
#include "support/random_model.h"

using namespace ser;

TEST_CASE("predictor inference allocates nothing after warm-up") {
    Model m = test::random_model();
    // Both window rules: the global band mean, and the shipped one that keeps a window's
    // speech frames (its kept-frame list and looping must reuse their buffers too).
    for (const double speech_range_db : {0.0, 35.0}) {
        CAPTURE(speech_range_db);
        m.normalisation.speech_range_db = speech_range_db;
        m.normalisation.floor_db = speech_range_db > 0 ? 60.0 : 0.0;
        Predictor p(m);
        // Speech-like bursts with pauses, so the speech-frame rule leaves frames out.
        auto pcm = synthesise({2.0, 150.0, 3000.0, 0.3}, 16000);
        for (std::size_t i = 0; i < pcm.size(); ++i)
            if ((i / 4000) % 2 == 1) pcm[i] *= 1e-4f;
        p.probabilities(pcm);  // warm-up for this length
        const long before = test::allocation_count();
        for (int i = 0; i < 5; ++i) p.probabilities(pcm);
        CHECK(test::allocation_count() == before);
    }
}
