#pragma once
// A small, complete model for the model-file tests: the "default" features (64 log-mel
// bands at 16 kHz) into a little temporal CNN with four labels.

#include <string>

#include "features/feature_config.h"
#include "model/model.h"
#include "nn/rng.h"

namespace ser::test {

inline Model small_model(std::uint64_t seed = 1) {
    Model m;
    m.labels = {"angry", "happy", "neutral", "sad"};
    m.features = feature_preset("default");
    m.network = nn::Network::from_json(nlohmann::json::parse(R"({"input": {"channels": 64, "time": 198}, "layers": [
        {"type": "conv1d", "name": "conv1", "filters": 8, "kernel": 3, "padding": "same", "use_bias": false},
        {"type": "batchnorm", "name": "bn1"}, {"type": "relu", "name": "relu1"},
        {"type": "maxpool1d", "name": "pool1", "pool": 2, "padding": "same"},
        {"type": "conv1d", "name": "conv2", "filters": 8, "kernel": 3, "padding": "same"},
        {"type": "relu", "name": "relu2"}, {"type": "stats_pool", "name": "stats"},
        {"type": "dense", "name": "logits", "units": 4}, {"type": "softmax", "name": "probabilities"}]})"));
    m.network.init(seed);
    nn::Rng rng(seed);
    for (nn::Param* p : m.network.tensors())
        if (p->name == "running_mean" || p->name == "bias")
            for (float& v : p->value) v = rng.uniform(-0.2f, 0.2f);
    m.normalisation.mean.assign(64, -40.0f);
    m.normalisation.std.assign(64, 15.0f);
    m.training = {{"corpora", {"test"}}, {"seed", seed}};
    return m;
}

}  // namespace ser::test
