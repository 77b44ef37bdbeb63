#include "nn/network.h"

#include <map>
#include <stdexcept>

#include "nn/layers.h"
#include "nn/rng.h"

namespace ser::nn {
namespace {

int positive_int(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<long long>() < 1 ||
        j[key].get<long long>() > (1 << 24))
        throw std::invalid_argument(std::string("network input: '") + key + "' must be a positive integer");
    return j[key].get<int>();
}

}  // namespace

Network Network::from_json(const nlohmann::json& architecture) {
    if (!architecture.is_object()) throw std::invalid_argument("network: the architecture must be a JSON object");
    for (const auto& [key, value] : architecture.items())
        if (key != "input" && key != "layers")
            throw std::invalid_argument("network: unknown key '" + key + "' (expected \"input\" and \"layers\")");
    if (!architecture.contains("input") || !architecture["input"].is_object())
        throw std::invalid_argument("network: missing object 'input' ({\"channels\": C, \"time\": T})");
    const auto& in = architecture["input"];
    for (const auto& [key, value] : in.items())
        if (key != "channels" && key != "time") throw std::invalid_argument("network input: unknown key '" + key + "'");
    if (!architecture.contains("layers") || !architecture["layers"].is_array() || architecture["layers"].empty())
        throw std::invalid_argument("network: 'layers' must be a non-empty array");

    Network net;
    net.input_ = {positive_int(in, "channels"), positive_int(in, "time")};
    if (static_cast<long long>(net.input_.channels) * net.input_.time > max_tensor_size)
        throw std::invalid_argument("network input: " + to_string(net.input_) + " is larger than the engine's limit of " +
                                    std::to_string(max_tensor_size) + " values per sample");
    std::map<std::string, int> names;
    int index = 0;
    for (const auto& spec : architecture["layers"]) {
        auto layer = make_layer(spec, index);
        if (auto [it, fresh] = names.emplace(layer->name, index); !fresh)
            throw std::invalid_argument("network: duplicate layer name '" + layer->name + "' (layers " +
                                        std::to_string(it->second) + " and " + std::to_string(index) + ")");
        net.layers_.push_back(std::move(layer));
        ++index;
    }
    for (std::size_t i = 0; i + 1 < net.layers_.size(); ++i)
        if (std::string(net.layers_[i]->type()) == "softmax")
            throw std::invalid_argument("network: softmax is only allowed as the last layer (found at layer " +
                                        std::to_string(i) + ")");
    net.logit_layers_ = net.layers_.size() - (std::string(net.layers_.back()->type()) == "softmax" ? 1 : 0);
    if (net.logit_layers_ == 0) throw std::invalid_argument("network: needs at least one layer before the softmax");
    net.configure(net.input_);
    return net;
}

nlohmann::json Network::architecture() const {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : layers_) layers.push_back(l->config());
    return {{"input", {{"channels", input_.channels}, {"time", input_.time}}}, {"layers", layers}};
}

Network Network::clone() const {
    Network copy = from_json(architecture());
    auto dst = copy.tensors();
    std::size_t i = 0;
    for (const auto& l : layers_)
        for (Param* p : l->tensors()) dst[i++]->value = p->value;
    return copy;
}

void Network::configure(Shape input) {
    Shape s = input;
    for (auto& l : layers_) {
        try {
            s = l->configure(s);
            if (static_cast<long long>(s.channels) * s.time > max_tensor_size)
                throw std::invalid_argument("layer " + std::to_string(l->index) + " '" + l->name + "' would output " +
                                            to_string(s) + ", more than the engine's limit of " +
                                            std::to_string(max_tensor_size) + " values per sample");
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("network input " + to_string(input) + ": " + e.what());
        }
    }
    configured_ = input;
    acts_.resize(layers_.size() + 1);
    grads_.resize(layers_.size() + 1);
}

Shape Network::output_shape() const { return layers_[logit_layers_ - 1]->out_shape; }

std::size_t Network::parameter_count() const {
    std::size_t n = 0;
    for (const auto& l : layers_)
        for (Param* p : l->tensors())
            if (p->trainable) n += p->size();
    return n;
}

int Network::receptive_field() const {
    long long field = 1, jump = 1;
    for (const auto& l : layers_) {
        const std::string t = l->type();
        if (t == "flatten" || t.starts_with("global_") || t == "stats_pool" || t == "attention_pool") break;
        field += static_cast<long long>(l->extent() - 1) * jump;
        jump *= l->stride();
    }
    return static_cast<int>(field);
}

void Network::init(std::uint64_t seed) {
    for (auto& l : layers_) l->init_parameters(mix64(seed + static_cast<std::uint64_t>(l->index)));
    frozen_ = false;
}

std::vector<Param*> Network::parameters() {
    std::vector<Param*> out;
    for (Param* p : tensors())
        if (p->trainable) out.push_back(p);
    return out;
}

std::vector<Param*> Network::tensors() {
    frozen_ = false;
    std::vector<Param*> out;
    for (auto& l : layers_)
        for (Param* p : l->tensors()) out.push_back(p);
    return out;
}

std::vector<std::unique_ptr<Layer>>& Network::layers() {
    frozen_ = false;
    return layers_;
}

const Batch& Network::forward(std::span<const float> input, int n, const Context& ctx) {
    const std::size_t per = static_cast<std::size_t>(n > 0 ? input.size() / static_cast<std::size_t>(n) : 0);
    if (n < 1 || per == 0 || per * static_cast<std::size_t>(n) != input.size() || per % input_.channels != 0)
        throw std::invalid_argument("network: input of " + std::to_string(input.size()) + " values is not " +
                                    std::to_string(n) + " samples of " + std::to_string(input_.channels) +
                                    " channels");
    const Shape shape{input_.channels, static_cast<int>(per / static_cast<std::size_t>(input_.channels))};
    if (!(shape == configured_)) configure(shape);
    if (!frozen_)
        for (auto& l : layers_) l->invalidate();

    Batch& x = acts_[0];
    x.resize(n, shape);
    for (int s = 0; s < n; ++s) {  // [channels][time] -> channels-last
        const float* src = input.data() + static_cast<std::size_t>(s) * per;
        float* dst = x.sample(s);
        for (int c = 0; c < shape.channels; ++c)
            for (int t = 0; t < shape.time; ++t)
                dst[static_cast<std::size_t>(t) * shape.channels + c] = src[static_cast<std::size_t>(c) * shape.time + t];
    }
    for (std::size_t i = 0; i < logit_layers_; ++i) layers_[i]->forward(acts_[i], acts_[i + 1], ctx);
    return acts_[logit_layers_];
}

void Network::backward(const Batch& d_logits, const Context& ctx) {
    const Batch& out = acts_[logit_layers_];
    if (d_logits.n != out.n || !(d_logits.shape == out.shape))
        throw std::invalid_argument("network: the logit gradient does not match the last forward pass");
    frozen_ = false;
    for (std::size_t i = logit_layers_; i-- > 0;) {
        const Batch& d_out = i + 1 == logit_layers_ ? d_logits : grads_[i + 1];
        layers_[i]->backward(acts_[i], acts_[i + 1], d_out, i > 0 ? &grads_[i] : nullptr, ctx);
    }
}

Network Network::folded() const {
    nlohmann::json specs = nlohmann::json::array();
    std::vector<std::vector<std::vector<float>>> values;  // per kept layer, its tensors
    for (const auto& l : layers_) {
        const std::string t = l->type();
        if (t == "dropout") continue;
        if (t == "batchnorm" && !specs.empty()) {
            auto& prev = specs.back();
            if (prev["type"] == "conv1d" || prev["type"] == "dense") {
                std::vector<float> scale, shift;
                static_cast<const BatchNorm&>(*l).inference_affine(scale, shift);
                auto& w = values.back()[0];
                const std::size_t per_out = w.size() / scale.size();
                for (std::size_t o = 0; o < scale.size(); ++o)
                    for (std::size_t j = 0; j < per_out; ++j) w[o * per_out + j] *= scale[o];
                if (values.back().size() < 2) values.back().emplace_back(scale.size(), 0.0f);
                auto& b = values.back()[1];
                for (std::size_t o = 0; o < scale.size(); ++o) b[o] = b[o] * scale[o] + shift[o];
                prev["use_bias"] = true;
                continue;
            }
        }
        specs.push_back(l->config());
        values.emplace_back();
        for (Param* p : l->tensors()) values.back().push_back(p->value);
    }
    Network net = from_json({{"input", {{"channels", input_.channels}, {"time", input_.time}}}, {"layers", specs}});
    for (std::size_t i = 0; i < net.layers_.size(); ++i) {
        auto ts = net.layers_[i]->tensors();
        for (std::size_t j = 0; j < ts.size(); ++j) ts[j]->value = values[i][j];
    }
    return net;
}

void softmax_rows(Batch& logits, float temperature) {
    for (int n = 0; n < logits.n; ++n) {
        float* row = logits.sample(n);
        if (temperature != 1.0f)
            for (int c = 0; c < logits.shape.size(); ++c) row[c] /= temperature;
        softmax_inplace(row, logits.shape.size());
    }
}

}  // namespace ser::nn
