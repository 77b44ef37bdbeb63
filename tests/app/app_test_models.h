#pragma once
// Small models with random weights for the app's tests: the results only have to be the
// same however the audio arrives, not right.

#include <cmath>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_config.h"
#include "model/model.h"
#include "nn/rng.h"

namespace ser::test {

// "default" features (64 log-mel rows at 16 kHz, frame-local) into a small temporal CNN.
inline Model frame_model(std::uint64_t seed = 1) {
    Model m;
    m.labels = {"angry", "calm", "happy", "sad"};
    m.features = feature_preset("default");
    m.network = nn::Network::from_json(nlohmann::json::parse(R"({"input": {"channels": 64, "time": 198}, "layers": [
        {"type": "conv1d", "filters": 8, "kernel": 3, "padding": "same"}, {"type": "relu"},
        {"type": "maxpool1d", "pool": 2, "padding": "same"},
        {"type": "conv1d", "filters": 8, "kernel": 3, "padding": "same"}, {"type": "relu"},
        {"type": "stats_pool"}, {"type": "dense", "units": 4}, {"type": "softmax"}]})"));
    m.network.init(seed);
    m.normalisation.mean.assign(64, -40.0f);
    m.normalisation.std.assign(64, 15.0f);
    m.training = {{"corpora", {"test"}}, {"seed", seed}};
    return m;
}

// The 162-dim utterance vector (time means over the input: needs the whole clip).
inline Model pooled_model(std::uint64_t seed = 2) {
    Model m;
    m.labels = {"neutral", "happy", "sad"};
    m.features = feature_preset("recipe162");
    m.network = nn::Network::from_json(nlohmann::json::parse(R"({"input": {"channels": 1, "time": 162}, "layers": [
        {"type": "conv1d", "filters": 4, "kernel": 5, "padding": "same"}, {"type": "relu"},
        {"type": "maxpool1d", "pool": 4, "padding": "same"}, {"type": "flatten"},
        {"type": "dense", "units": 3}, {"type": "softmax"}]})"));
    m.network.init(seed);
    return m;
}

// Speech-like test audio: syllable-rate bursts of a gliding tone over faint noise, with a
// silent stretch in the middle, so windows differ and the voice activity flips.
inline std::vector<float> test_audio(double seconds, int rate, std::uint64_t seed = 7) {
    std::vector<float> pcm(static_cast<std::size_t>(std::lround(seconds * rate)));
    nn::Rng rng(seed);
    double phase = 0.0;
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const bool silent = t > seconds * 0.4 && t < seconds * 0.6;
        const double envelope = silent ? 0.0 : 0.5 + 0.5 * std::sin(2.0 * 3.14159265358979 * 4.0 * t);
        phase += 2.0 * 3.14159265358979 * (180.0 + 60.0 * std::sin(t * 1.7)) / rate;
        pcm[i] = static_cast<float>(0.3 * envelope * std::sin(phase) + 0.002 * rng.uniform(-1.0f, 1.0f));
    }
    return pcm;
}

}  // namespace ser::test
