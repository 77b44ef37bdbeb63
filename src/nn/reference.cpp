#include "nn/reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "nn/layers.h"

namespace ser::nn {
namespace {

struct Tensor {  // one sample, [channels][time]
    Shape s;
    std::vector<float> v;
    float& at(int c, int t) { return v[static_cast<std::size_t>(c) * s.time + t]; }
    float at(int c, int t) const { return v[static_cast<std::size_t>(c) * s.time + t]; }
};

Tensor make(Shape s) { return {s, std::vector<float>(static_cast<std::size_t>(s.size()), 0.0f)}; }

Tensor conv(const Conv1D& l, const Tensor& x) {
    const Window w = window_geometry(x.s.time, l.extent(), l.stride(), l.padding);
    Tensor y = make({l.filters, w.out});
    const int ci = x.s.channels;
    for (int o = 0; o < l.filters; ++o)
        for (int t = 0; t < w.out; ++t) {
            float acc = l.bias ? l.bias->value[o] : 0.0f;
            for (int c = 0; c < ci; ++c)
                for (int k = 0; k < l.kernel; ++k) {
                    const int src = t * l.stride() + k * l.dilation - w.pad_left;
                    if (src < 0 || src >= x.s.time) continue;
                    acc += l.weight->value[(static_cast<std::size_t>(o) * ci + c) * l.kernel + k] * x.at(c, src);
                }
            y.at(o, t) = acc;
        }
    return y;
}

Tensor dense(const Dense& l, const Tensor& x) {
    // The engine's flat order is time-major (t * channels + c): read x in that order.
    const int n_in = x.s.size();
    std::vector<float> flat(static_cast<std::size_t>(n_in));
    for (int c = 0; c < x.s.channels; ++c)
        for (int t = 0; t < x.s.time; ++t) flat[static_cast<std::size_t>(t) * x.s.channels + c] = x.at(c, t);
    Tensor y = make({l.units, 1});
    for (int o = 0; o < l.units; ++o) {
        float acc = l.bias ? l.bias->value[o] : 0.0f;
        for (int i = 0; i < n_in; ++i) acc += l.weight->value[static_cast<std::size_t>(o) * n_in + i] * flat[i];
        y.at(o, 0) = acc;
    }
    return y;
}

Tensor pool(const Pool1D& l, const Tensor& x) {
    const Window w = window_geometry(x.s.time, l.pool, l.stride(), l.padding);
    Tensor y = make({x.s.channels, w.out});
    for (int c = 0; c < x.s.channels; ++c)
        for (int t = 0; t < w.out; ++t) {
            const int lo = std::max(t * l.stride() - w.pad_left, 0);
            const int hi = std::min(t * l.stride() - w.pad_left + l.pool, x.s.time);
            float acc = x.at(c, lo);
            for (int s = lo + 1; s < hi; ++s) acc = l.kind == PoolKind::max ? std::max(acc, x.at(c, s)) : acc + x.at(c, s);
            y.at(c, t) = l.kind == PoolKind::max ? acc : acc / static_cast<float>(hi - lo);
        }
    return y;
}

Tensor global_pool(const GlobalPool& l, const Tensor& x) {
    const int ch = x.s.channels, len = x.s.time;
    Tensor y = make({l.kind == GlobalPoolKind::statistics ? 2 * ch : ch, 1});
    std::vector<float> alpha(static_cast<std::size_t>(len), 0.0f);
    if (l.kind == GlobalPoolKind::attention) {
        for (int t = 0; t < len; ++t) {
            alpha[t] = l.bias->value[0];
            for (int c = 0; c < ch; ++c) alpha[t] += l.weight->value[c] * x.at(c, t);
        }
        softmax_inplace(alpha.data(), len);
    }
    for (int c = 0; c < ch; ++c) {
        float sum = 0.0f, best = x.at(c, 0), weighted = 0.0f;
        for (int t = 0; t < len; ++t) {
            sum += x.at(c, t);
            best = std::max(best, x.at(c, t));
            weighted += alpha[t] * x.at(c, t);
        }
        const float mean = sum / static_cast<float>(len);
        switch (l.kind) {
            case GlobalPoolKind::average: y.at(c, 0) = mean; break;
            case GlobalPoolKind::max: y.at(c, 0) = best; break;
            case GlobalPoolKind::attention: y.at(c, 0) = weighted; break;
            case GlobalPoolKind::statistics: {
                float var = 0.0f;
                for (int t = 0; t < len; ++t) var += (x.at(c, t) - mean) * (x.at(c, t) - mean);
                y.at(c, 0) = mean;
                y.at(ch + c, 0) = std::sqrt(var / static_cast<float>(len) + l.epsilon);
                break;
            }
        }
    }
    return y;
}

}  // namespace

std::vector<float> reference_forward(const Network& net, std::span<const float> input) {
    const Shape in = net.input_shape();
    if (input.size() % static_cast<std::size_t>(in.channels) != 0)
        throw std::invalid_argument("reference_forward: input size is not a multiple of the channel count");
    Tensor x{{in.channels, static_cast<int>(input.size()) / in.channels}, {input.begin(), input.end()}};
    for (const auto& up : net.layers()) {
        const Layer& layer = *up;
        const std::string type = layer.type();
        if (type == "conv1d") {
            x = conv(static_cast<const Conv1D&>(layer), x);
        } else if (type == "dense") {
            x = dense(static_cast<const Dense&>(layer), x);
        } else if (type == "maxpool1d" || type == "avgpool1d") {
            x = pool(static_cast<const Pool1D&>(layer), x);
        } else if (type == "batchnorm") {
            std::vector<float> scale, shift;
            static_cast<const BatchNorm&>(layer).inference_affine(scale, shift);
            for (int c = 0; c < x.s.channels; ++c)
                for (int t = 0; t < x.s.time; ++t) x.at(c, t) = x.at(c, t) * scale[c] + shift[c];
        } else if (type == "relu" || type == "leaky_relu" || type == "gelu") {
            const auto& a = static_cast<const ActivationLayer&>(layer);
            for (float& v : x.v) {
                if (a.kind == Activation::relu) v = v > 0.0f ? v : 0.0f;
                else if (a.kind == Activation::leaky_relu) v = v > 0.0f ? v : a.alpha * v;
                else v = 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f));
            }
        } else if (type == "flatten") {
            Tensor flat = make({x.s.size(), 1});
            for (int c = 0; c < x.s.channels; ++c)
                for (int t = 0; t < x.s.time; ++t) flat.at(t * x.s.channels + c, 0) = x.at(c, t);
            x = flat;
        } else if (type == "dropout" || type == "softmax") {
            // inference: dropout is the identity; the softmax is not part of the logits
        } else {
            x = global_pool(static_cast<const GlobalPool&>(layer), x);
        }
    }
    return x.v;
}

}  // namespace ser::nn
