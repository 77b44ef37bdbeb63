#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "nn/layers.h"
#include "nn/rng.h"

namespace ser::nn {

void softmax_inplace(float* x, int n) {
    float m = x[0];
    for (int i = 1; i < n; ++i) m = std::max(m, x[i]);
    float s = 0.0f;
    for (int i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - m);
        s += x[i];
    }
    for (int i = 0; i < n; ++i) x[i] /= s;
}

void Dropout::forward(const Batch& in, Batch& out, const Context& ctx) {
    out.resize(in.n, in.shape);
    if (!ctx.training() || rate == 0.0f) {
        std::copy(in.data.begin(), in.data.end(), out.data.begin());
        return;
    }
    // Inverted dropout; each mask value depends only on (seed, layer, sample, element).
    const float keep_scale = 1.0f / (1.0f - rate);
    mask_.resize(in.data.size());
    const std::size_t per = in.sample_size();
    for (int n = 0; n < in.n; ++n)
        for (std::size_t i = 0; i < per; ++i) {
            const std::size_t k = static_cast<std::size_t>(n) * per + i;
            mask_[k] = uniform01(ctx.seed, static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(n), i) >= rate
                           ? keep_scale
                           : 0.0f;
            out.data[k] = in.data[k] * mask_[k];
        }
}

void Dropout::backward(const Batch& in, const Batch&, const Batch& d_out, Batch* d_in, const Context& ctx) {
    if (!d_in) return;
    d_in->resize(in.n, in.shape);
    const bool masked = ctx.training() && rate != 0.0f;
    for (std::size_t k = 0; k < d_in->data.size(); ++k) d_in->data[k] = masked ? d_out.data[k] * mask_[k] : d_out.data[k];
}

void Flatten::forward(const Batch& in, Batch& out, const Context&) {
    out.resize(in.n, {in.shape.size(), 1});
    std::copy(in.data.begin(), in.data.end(), out.data.begin());
}

void Flatten::backward(const Batch& in, const Batch&, const Batch& d_out, Batch* d_in, const Context&) {
    if (!d_in) return;
    d_in->resize(in.n, in.shape);
    std::copy(d_out.data.begin(), d_out.data.end(), d_in->data.begin());
}

Shape Softmax::configure(Shape in) {
    if (in.time != 1)
        throw std::invalid_argument(where() + ": needs one step per sample (class scores) but gets " + to_string(in));
    in_shape = out_shape = in;
    return in;
}

void Softmax::forward(const Batch& in, Batch& out, const Context&) {
    out.resize(in.n, in.shape);
    std::copy(in.data.begin(), in.data.end(), out.data.begin());
    for (int n = 0; n < in.n; ++n) softmax_inplace(out.sample(n), in.shape.channels);
}

void Softmax::backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context&) {
    if (!d_in) return;
    d_in->resize(in.n, in.shape);
    const int c = in.shape.channels;
    for (int n = 0; n < in.n; ++n) {
        const float* y = out.sample(n);
        const float* dy = d_out.sample(n);
        float dot = 0.0f;
        for (int i = 0; i < c; ++i) dot += y[i] * dy[i];
        for (int i = 0; i < c; ++i) d_in->sample(n)[i] = y[i] * (dy[i] - dot);
    }
}

}  // namespace ser::nn
