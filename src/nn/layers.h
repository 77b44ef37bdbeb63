#pragma once
// The concrete layers. Each family's code lives in its own .cpp file.

#include <optional>

#include "nn/layer.h"
#include "nn/winograd.h"

namespace ser::nn {

enum class Padding { same, valid };

// Output length and left padding of a window of `extent` steps moved by `stride`.
// "same" follows Keras/TensorFlow: ceil(time / stride) outputs, any odd padding step on the right.
struct Window {
    int out = 0;
    int pad_left = 0;
    int padded = 0;  // padded input length the windows read from
};
Window window_geometry(int time, int extent, int stride, Padding padding);

class Conv1D final : public Layer {
public:
    int filters = 0, kernel = 1, stride_ = 1, dilation = 1;
    Padding padding = Padding::valid;
    bool use_bias = true;
    std::optional<Param> weight, bias;  // weight [filters][in channels][kernel]

    const char* type() const override { return "conv1d"; }
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Conv1D>(*this); }
    std::vector<Param*> tensors() override;
    void init_parameters(std::uint64_t seed) override;
    void invalidate() override { packed_valid_ = false; }
    int extent() const override { return (kernel - 1) * dilation + 1; }
    int stride() const override { return stride_; }

private:
    bool winograd() const;

    Window win_;
    int padded_rows_ = 0;  // rows of padded_ per sample (Winograd may need one more)
    Batch padded_, d_padded_, dy_padded_;
    std::vector<float> packed_w_, packed_wt_, packed_dy_, dw_;
    WinogradWeights wino_, wino_t_;           // forward, and input gradient
    WinogradGradientScratch wino_grad_;
    std::vector<std::vector<float>> scratch_;  // per thread
    bool packed_valid_ = false;
};

class Dense final : public Layer {
public:
    int units = 0;
    bool use_bias = true;
    std::optional<Param> weight, bias;  // weight [units][inputs]

    const char* type() const override { return "dense"; }
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Dense>(*this); }
    std::vector<Param*> tensors() override;
    void init_parameters(std::uint64_t seed) override;
    void invalidate() override { packed_valid_ = false; }

private:
    std::vector<float> packed_w_, packed_wt_, packed_x_;
    bool packed_valid_ = false;
};

class BatchNorm final : public Layer {
public:
    float momentum = 0.1f;  // running = (1 - momentum) * running + momentum * batch (PyTorch convention)
    float epsilon = 1e-5f;
    std::optional<Param> gamma, beta, running_mean, running_var;

    const char* type() const override { return "batchnorm"; }
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<BatchNorm>(*this); }
    std::vector<Param*> tensors() override;
    void init_parameters(std::uint64_t seed) override;
    // Inference affine form: y = x * scale + shift, per channel.
    void inference_affine(std::vector<float>& scale, std::vector<float>& shift) const;

private:
    std::vector<float> mean_, inv_std_, scale_, shift_;
};

enum class Activation { relu, leaky_relu, gelu };

class ActivationLayer final : public Layer {
public:
    Activation kind = Activation::relu;
    float alpha = 0.01f;  // leaky_relu slope for x < 0

    const char* type() const override;
    Shape configure(Shape in) override { return in; }
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<ActivationLayer>(*this); }
};

enum class PoolKind { max, average };

class Pool1D final : public Layer {
public:
    PoolKind kind = PoolKind::max;
    int pool = 2, stride_ = 2;
    Padding padding = Padding::valid;  // "same" windows ignore the padding (max and mean of real steps)

    const char* type() const override { return kind == PoolKind::max ? "maxpool1d" : "avgpool1d"; }
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Pool1D>(*this); }
    int extent() const override { return pool; }
    int stride() const override { return stride_; }

private:
    Window win_;
    std::vector<float> argmax_;  // training: input step of each max output (exact as float)
};

// Pooling over the whole time axis: mean, max, mean and standard deviation ("statistics"),
// or a learned softmax attention over steps.
enum class GlobalPoolKind { average, max, statistics, attention };

class GlobalPool final : public Layer {
public:
    GlobalPoolKind kind = GlobalPoolKind::average;
    float epsilon = 1e-5f;                // statistics: std = sqrt(var + epsilon)
    std::optional<Param> weight, bias;    // attention: score_t = weight · x_t + bias

    const char* type() const override;
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<GlobalPool>(*this); }
    std::vector<Param*> tensors() override;
    void init_parameters(std::uint64_t seed) override;
    int extent() const override { return in_shape.time; }

private:
    std::vector<float> alpha_;   // attention weights per sample and step
    std::vector<int> argmax_;
};

class Dropout final : public Layer {
public:
    float rate = 0.5f;

    const char* type() const override { return "dropout"; }
    Shape configure(Shape in) override { return in; }
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Dropout>(*this); }

private:
    std::vector<float> mask_;
};

// [channels][time] -> [time * channels][1]. The flat order is time-major (index
// t * channels + c, as in Keras), which is the engine's memory order, so it costs a copy only.
class Flatten final : public Layer {
public:
    const char* type() const override { return "flatten"; }
    Shape configure(Shape in) override { return {in.size(), 1}; }
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Flatten>(*this); }
};

// Softmax over channels. Only allowed last; the network computes logits and applies it on
// request, so training uses the fused softmax cross-entropy.
class Softmax final : public Layer {
public:
    const char* type() const override { return "softmax"; }
    Shape configure(Shape in) override;
    void forward(const Batch& in, Batch& out, const Context& ctx) override;
    void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context& ctx) override;
    std::unique_ptr<Layer> clone() const override { return std::make_unique<Softmax>(*this); }
};

void softmax_inplace(float* x, int n);

// Index of the largest value (the first of equals): the one argmax of every label decision.
template <class Values>
std::size_t argmax(const Values& values) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < values.size(); ++i)
        if (values[i] > values[best]) best = i;
    return best;
}

// Glorot (Xavier) uniform initialisation, Keras's default for kernels.
void init_glorot(Param& p, int fan_in, int fan_out, std::uint64_t seed);

}  // namespace ser::nn
