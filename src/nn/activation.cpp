#include <cmath>

#include "nn/layers.h"
#include "nn/simd.h"

namespace ser::nn {
namespace {

constexpr float inv_sqrt2 = 0.70710678118654752f;
constexpr float inv_sqrt_2pi = 0.39894228040143268f;

}  // namespace

const char* ActivationLayer::type() const {
    switch (kind) {
        case Activation::relu: return "relu";
        case Activation::leaky_relu: return "leaky_relu";
        case Activation::gelu: return "gelu";
    }
    return "relu";
}

void ActivationLayer::forward(const Batch& in, Batch& out, const Context&) {
    out.resize(in.n, in.shape);
    const float* x = in.data.data();
    float* y = out.data.data();
    const std::size_t size = in.data.size() < out.data.size() ? in.data.size() : out.data.size();
    switch (kind) {
        case Activation::relu: {
            std::size_t i = 0;
            for (; i + simd::width <= size; i += simd::width) simd::store(y + i, simd::max(simd::load(x + i), simd::zero()));
            for (; i < size; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
            break;
        }
        case Activation::leaky_relu:
            for (std::size_t i = 0; i < size; ++i) y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
            break;
        case Activation::gelu:  // exact (erf) form, PyTorch's default
            for (std::size_t i = 0; i < size; ++i) y[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * inv_sqrt2));
            break;
    }
}

void ActivationLayer::backward(const Batch& in, const Batch&, const Batch& d_out, Batch* d_in, const Context&) {
    if (!d_in) return;
    d_in->resize(in.n, in.shape);
    const float* x = in.data.data();
    const float* dy = d_out.data.data();
    float* dx = d_in->data.data();
    const std::size_t size = d_in->data.size();
    switch (kind) {  // one loop per kind, so each vectorises
        case Activation::relu:
            for (std::size_t i = 0; i < size; ++i) dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
            break;
        case Activation::leaky_relu:
            for (std::size_t i = 0; i < size; ++i) dx[i] = x[i] > 0.0f ? dy[i] : alpha * dy[i];
            break;
        case Activation::gelu:
            for (std::size_t i = 0; i < size; ++i) {
                const float cdf = 0.5f * (1.0f + std::erf(x[i] * inv_sqrt2));
                const float pdf = inv_sqrt_2pi * std::exp(-0.5f * x[i] * x[i]);
                dx[i] = dy[i] * (cdf + x[i] * pdf);
            }
            break;
    }
}

}  // namespace ser::nn
