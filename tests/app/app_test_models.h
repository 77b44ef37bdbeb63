#pragma once
// The app's test models (random weights: the results only have to be the same however the
// audio arrives, not right) and speech-like test audio.

#include <cmath>
#include <cstdint>
#include <vector>

#include "model/model.h"
#include "nn/rng.h"
#include "support/random_model.h"

namespace ser::test {

// The app's two kinds of model, from the tests' one random-model builder.
inline Model frame_model() { return random_model(); }
inline Model pooled_model() {
    return random_model({.input = ModelInput::pooled, .seed = 2, .labels = {"neutral", "happy", "sad"}, .filters = 4});
}

// Speech-like test audio: syllable-rate bursts of a gliding tone over faint noise, with a
// silent stretch in the middle, so windows differ and the voice activity flips.
inline std::vector<float> test_audio(double seconds, int rate, std::uint64_t seed = 7) {
    std::vector<float> pcm(static_cast<std::size_t>(std::lround(seconds * rate)));
    double phase = 0.0;
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const bool silent = t > seconds * 0.4 && t < seconds * 0.6;
        const double envelope = silent ? 0.0 : 0.5 + 0.5 * std::sin(2.0 * 3.14159265358979 * 4.0 * t);
        phase += 2.0 * 3.14159265358979 * (180.0 + 60.0 * std::sin(t * 1.7)) / rate;
        pcm[i] = static_cast<float>(0.3 * envelope * std::sin(phase) + 0.002 * nn::counter_uniform(seed, i, -1.0f, 1.0f));
    }
    return pcm;
}

}  // namespace ser::test
