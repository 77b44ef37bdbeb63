#pragma once
// A network as JSON: the architecture of training configs and model files,
//   {"input": {"channels": 1, "time": 162},
//    "layers": [{"type": "conv1d", "filters": 256, "kernel": 5, "padding": "same"}, ...]}
// The engine (src/nn) knows no JSON; its layers' hyper-parameters are plain fields, read and
// written here. Weights are the model file's (model.cpp).

#include <nlohmann/json.hpp>

#include "nn/network.h"

namespace ser {

// Builds and shape-checks the network (parameters zero until init() or a model load).
// Strict: an unknown layer type, an unknown key or an out-of-range hyper-parameter throws
// std::invalid_argument naming the layer ("layers[3]") and the key.
nn::Network network_from_json(const nlohmann::json& architecture);
// The architecture, without weights: network_from_json(network_to_json(n)) builds n again.
nlohmann::json network_to_json(const nn::Network& network);
// One layer-list entry: type, name and hyper-parameters.
nlohmann::json layer_to_json(const nn::Layer& layer);

}  // namespace ser
