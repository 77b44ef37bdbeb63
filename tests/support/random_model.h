#pragma once
// The one builder of small models with random weights that the tests (and ser_test_tool,
// for the e2e tests) use: their results only have to be deterministic, complete and the
// same however the audio arrives, not right.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_config.h"
#include "model/model.h"
#include "nn/rng.h"
#include "model/network_json.h"

namespace ser::test {

enum class ModelInput {
    frames,  // "default" features (64 log-mel rows at 16 kHz, frame-local) into a temporal CNN
    pooled,  // the 162-dim utterance vector (time means over the input: needs the whole clip)
};

struct RandomModel {
    ModelInput input = ModelInput::frames;
    std::uint64_t seed = 1;
    std::vector<std::string> labels = {"angry", "calm", "happy", "sad"};
    int filters = 8;
};

inline Model random_model(const RandomModel& spec = {}) {
    Model m;
    m.labels = spec.labels;
    const std::string filters = std::to_string(spec.filters);
    const std::string units = std::to_string(spec.labels.size());
    if (spec.input == ModelInput::pooled) {
        m.features = feature_preset("recipe162");
        m.network = ser::network_from_json(nlohmann::json::parse(R"({"input": {"channels": 1, "time": 162}, "layers": [
            {"type": "conv1d", "name": "conv1", "filters": )" + filters + R"(, "kernel": 5, "padding": "same"},
            {"type": "relu", "name": "relu1"},
            {"type": "maxpool1d", "name": "pool1", "pool": 5, "stride": 2, "padding": "same"},
            {"type": "flatten", "name": "flatten"}, {"type": "dense", "name": "logits", "units": )" + units + R"(},
            {"type": "softmax", "name": "probabilities"}]})"));
        m.network.init(spec.seed);
    } else {
        m.features = feature_preset("default");
        m.network = ser::network_from_json(nlohmann::json::parse(R"({"input": {"channels": 64, "time": 198}, "layers": [
            {"type": "conv1d", "name": "conv1", "filters": )" + filters + R"(, "kernel": 3, "padding": "same", "use_bias": false},
            {"type": "batchnorm", "name": "bn1"}, {"type": "relu", "name": "relu1"},
            {"type": "maxpool1d", "name": "pool1", "pool": 2, "padding": "same"},
            {"type": "conv1d", "name": "conv2", "filters": )" + filters + R"(, "kernel": 3, "padding": "same"},
            {"type": "relu", "name": "relu2"}, {"type": "stats_pool", "name": "stats"},
            {"type": "dense", "name": "logits", "units": )" + units + R"(}, {"type": "softmax", "name": "probabilities"}]})"));
        m.network.init(spec.seed);
        // Non-zero BatchNorm statistics and biases, so folding and saving them is exercised.
        std::uint64_t draw = 0;
        for (nn::Param* p : m.network.tensors())
            if (p->name == "running_mean" || p->name == "bias")
                for (float& v : p->value) v = nn::counter_uniform(spec.seed, draw++, -0.2f, 0.2f);
        m.normalisation.mean.assign(64, -40.0f);
        m.normalisation.std.assign(64, 15.0f);
    }
    m.training = {{"corpora", {"test"}}, {"seed", spec.seed}};
    return m;
}

}  // namespace ser::test
