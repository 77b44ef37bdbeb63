#include "nn/network.h"

#include <map>
#include <stdexcept>

#include "nn/layers.h"
#include "nn/rng.h"

namespace ser::nn {
Network::Network(Shape input, std::vector<std::unique_ptr<Layer>> layers) : input_(input), layers_(std::move(layers)) {
    if (input_.channels < 1 || input_.time < 1)
        throw std::invalid_argument("network input: " + to_string(input_) + " must have at least one channel and step");
    if (static_cast<long long>(input_.channels) * input_.time > max_tensor_size)
        throw std::invalid_argument("network input: " + to_string(input_) + " is larger than the engine's limit of " +
                                    std::to_string(max_tensor_size) + " values per sample");
    if (layers_.empty()) throw std::invalid_argument("network: 'layers' must be a non-empty array");
    std::map<std::string, int> names;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        Layer& layer = *layers_[i];
        layer.index = static_cast<int>(i);
        if (layer.name.empty()) layer.name = std::string(layer.type()) + "_" + std::to_string(i);
        if (auto [it, fresh] = names.emplace(layer.name, layer.index); !fresh)
            throw std::invalid_argument("network: duplicate layer name '" + layer.name + "' (layers " +
                                        std::to_string(it->second) + " and " + std::to_string(i) + ")");
        if (std::string(layer.type()) == "softmax" && i + 1 < layers_.size())
            throw std::invalid_argument("network: softmax is only allowed as the last layer (found at layer " +
                                        std::to_string(i) + ")");
    }
    logit_layers_ = layers_.size() - (std::string(layers_.back()->type()) == "softmax" ? 1 : 0);
    if (logit_layers_ == 0) throw std::invalid_argument("network: needs at least one layer before the softmax");
    // A cloned layer brings kernels packed from weights that may since have changed
    // (folded() rewrites them): nothing precomputed is trusted until the next forward.
    for (auto& l : layers_) l->invalidate();
    configure(input_);
}

Network Network::clone() const {
    std::vector<std::unique_ptr<Layer>> copies;
    for (const auto& l : layers_) copies.push_back(l->clone());
    return Network(input_, std::move(copies));
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

void Network::backward(const Batch& d_logits, const Context& ctx, const GradientTap* tap, bool input_gradient) {
    const Batch& out = acts_[logit_layers_];
    if (d_logits.n != out.n || !(d_logits.shape == out.shape))
        throw std::invalid_argument("network: the logit gradient does not match the last forward pass");
    if (tap && (tap->layer + 1 >= logit_layers_ || !tap->d_out || tap->d_out->n != out.n ||
                !(tap->d_out->shape == acts_[tap->layer + 1].shape)))
        throw std::invalid_argument("network: a gradient tap must match the output of a layer below the logits");
    frozen_ = false;
    for (std::size_t i = logit_layers_; i-- > 0;) {
        if (tap && tap->layer == i)
            for (std::size_t k = 0; k < grads_[i + 1].data.size(); ++k) grads_[i + 1].data[k] += tap->d_out->data[k];
        const Batch& d_out = i + 1 == logit_layers_ ? d_logits : grads_[i + 1];
        layers_[i]->backward(acts_[i], acts_[i + 1], d_out, i > 0 || input_gradient ? &grads_[i] : nullptr, ctx);
    }
}

namespace {

// The kernel and bias of a conv1d or dense layer, the bias created (zero) if it had none;
// nulls for other layers.
std::pair<Param*, Param*> affine_tensors(Layer& layer) {
    auto with_bias = [](auto& l, int outputs) {
        if (!l.bias) l.bias.emplace("bias", std::vector<int>{outputs}, true, false);
        l.use_bias = true;
        return std::pair<Param*, Param*>{&*l.weight, &*l.bias};
    };
    if (auto* conv = dynamic_cast<Conv1D*>(&layer)) return with_bias(*conv, conv->filters);
    if (auto* dense = dynamic_cast<Dense*>(&layer)) return with_bias(*dense, dense->units);
    return {nullptr, nullptr};
}

}  // namespace

Network Network::folded() const {
    std::vector<std::unique_ptr<Layer>> kept;
    for (const auto& l : layers_) {
        const std::string t = l->type();
        if (t == "dropout") continue;
        if (t == "batchnorm" && !kept.empty()) {
            if (auto [weight, bias] = affine_tensors(*kept.back()); weight) {
                std::vector<float> scale, shift;
                static_cast<const BatchNorm&>(*l).inference_affine(scale, shift);
                const std::size_t per_out = weight->size() / scale.size();
                for (std::size_t o = 0; o < scale.size(); ++o)
                    for (std::size_t j = 0; j < per_out; ++j) weight->value[o * per_out + j] *= scale[o];
                for (std::size_t o = 0; o < scale.size(); ++o) bias->value[o] = bias->value[o] * scale[o] + shift[o];
                continue;
            }
        }
        kept.push_back(l->clone());
    }
    return Network(input_, std::move(kept));
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
