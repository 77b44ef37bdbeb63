#pragma once
// A network is an input shape and a list of layers (their JSON, for model files and
// training configs, is src/model/network_json.h). forward() returns logits; a trailing
// softmax layer marks the outputs as probabilities and is applied by softmax_rows(), so
// training can use the fused softmax cross-entropy.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "nn/layer.h"

namespace ser::nn {

class Network {
public:
    Network() = default;
    Network(Network&&) noexcept = default;
    Network& operator=(Network&&) noexcept = default;

    // Numbers the layers, names the unnamed ones "<type>_<index>", checks the list (unique
    // names, a softmax only last) and shape-checks it for `input`, creating parameters
    // (zero until init() or a model load) where a layer has none yet. Throws
    // std::invalid_argument naming the layer.
    Network(Shape input, std::vector<std::unique_ptr<Layer>> layers);
    Network clone() const;

    Shape input_shape() const { return input_; }
    Shape output_shape() const;  // of the logits: [classes][1] for a classifier
    std::size_t parameter_count() const;
    // Input steps that one step of the last temporal feature map sees (before any flatten
    // or global pooling); a window shorter than this is mostly padding.
    int receptive_field() const;
    bool has_softmax() const { return logit_layers_ < layers_.size(); }

    void init(std::uint64_t seed);
    // Mutable access means the weights may change: it ends any freeze().
    std::vector<Param*> parameters();  // trainable, in layer order
    std::vector<Param*> tensors();     // everything a model file stores, in layer order
    std::vector<std::unique_ptr<Layer>>& layers();
    const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }

    // input: n samples of [channels][time]; time may differ from the declared input where
    // the layers allow it (temporal nets). Returns the logits, valid until the next call.
    const Batch& forward(std::span<const float> input, int n, const Context& ctx);
    // d_logits: dL/d(logits) for the batch of the last forward(); sets every parameter's gradient.
    // A tap adds a second gradient at one layer's output on the way down: how a head reading
    // that activation (an adversary, trainer.h) trains the layers below it. With input_gradient,
    // dL/d(input) is kept too (input_gradient()).
    struct GradientTap {
        std::size_t layer = 0;
        const Batch* d_out = nullptr;  // the shape of that layer's output
    };
    void backward(const Batch& d_logits, const Context& ctx, const GradientTap* tap = nullptr,
                  bool input_gradient = false);
    // Of the last forward() / backward(): one layer's output, and dL/d(input) (channels-last).
    const Batch& output_of(std::size_t layer) const { return acts_.at(layer + 1); }
    const Batch& input_gradient() const { return grads_.front(); }

    // BatchNorm folded into the conv or dense layer before it, dropout removed: the network
    // to run for inference. Outputs equal this network's in inference mode.
    Network folded() const;
    // Promise that weights stay as they are: packed kernels are kept between calls.
    void freeze() { frozen_ = true; }

private:
    void configure(Shape input);

    Shape input_, configured_;
    std::vector<std::unique_ptr<Layer>> layers_;
    std::size_t logit_layers_ = 0;
    std::vector<Batch> acts_, grads_;
    bool frozen_ = false;
};

// Softmax over each sample's channels, in place (class scores to probabilities).
void softmax_rows(Batch& logits, float temperature = 1.0f);

}  // namespace ser::nn
