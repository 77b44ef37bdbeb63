#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "nn/gemm.h"
#include "nn/layers.h"

namespace ser::nn {
namespace {

constexpr int rows_per_task = 2 * gemm_rows;

int blocks_of(int rows) { return (rows + rows_per_task - 1) / rows_per_task; }

}  // namespace

Shape Dense::configure(Shape in) {
    if (in.time != 1)
        throw std::invalid_argument(where() + ": needs one step per sample but gets " + to_string(in) +
                                    "; put a flatten or global pooling layer before it");
    const std::vector<int> wshape{units, in.channels};
    if (!weight) {
        weight.emplace("weight", wshape, true, true);
        if (use_bias) bias.emplace("bias", std::vector<int>{units}, true, false);
    } else if (weight->shape != wshape) {
        throw std::invalid_argument(where() + ": gets " + std::to_string(in.channels) +
                                    " inputs but the weights expect " + std::to_string(weight->shape[1]));
    }
    in_shape = in;
    out_shape = {units, 1};
    return out_shape;
}

std::vector<Param*> Dense::tensors() {
    std::vector<Param*> t{&*weight};
    if (bias) t.push_back(&*bias);
    return t;
}

void Dense::init_parameters(std::uint64_t seed) {
    init_glorot(*weight, in_shape.channels, units, seed);
    if (bias) std::fill(bias->value.begin(), bias->value.end(), 0.0f);
    invalidate();
}

void Dense::forward(const Batch& in, Batch& out, const Context& ctx) {
    const int n_samples = in.n, n_in = in_shape.channels;
    out.resize(n_samples, out_shape);
    if (!packed_valid_) {
        const float* w = weight->value.data();
        pack_b(n_in, units, packed_w_, [&](int i, int o) { return w[static_cast<std::size_t>(o) * n_in + i]; });
        packed_valid_ = !ctx.training();
    }
    AView a;
    a.p = in.data.data();
    a.row_stride = n_in;
    a.seg_len = n_in;
    parallel_for(ctx.pool, blocks_of(n_samples), [&](int task) {
        const int m0 = task * rows_per_task, m1 = std::min(n_samples, m0 + rows_per_task);
        if (bias)
            for (int m = m0; m < m1; ++m) std::memcpy(out.sample(m), bias->value.data(), units * sizeof(float));
        gemm(a, m0, m1, packed_w_.data(), units, out.data.data(), units, bias.has_value());
    });
}

void Dense::backward(const Batch& in, const Batch& /*out*/, const Batch& d_out, Batch* d_in, const Context& ctx) {
    const int n_samples = d_out.n, n_in = in_shape.channels;
    const float* dy = d_out.data.data();
    if (bias) {
        float* g = bias->grad.data();
        std::fill(g, g + units, 0.0f);
        for (int n = 0; n < n_samples; ++n)
            for (int o = 0; o < units; ++o) g[o] += dy[static_cast<std::size_t>(n) * units + o];
    }

    // dW[o][i] = sum_n dy[n][o] * x[n][i]: A is dy read column-wise, B the inputs.
    const float* x = in.data.data();
    pack_b(n_samples, n_in, packed_x_, [&](int n, int i) { return x[static_cast<std::size_t>(n) * n_in + i]; });
    AView a;
    a.p = dy;
    a.row_stride = 1;
    a.seg_len = n_samples;
    a.elem_stride = units;
    parallel_for(ctx.pool, blocks_of(units), [&](int task) {
        const int m0 = task * rows_per_task, m1 = std::min(units, m0 + rows_per_task);
        gemm(a, m0, m1, packed_x_.data(), n_in, weight->grad.data(), n_in, false);
    });

    if (!d_in) return;
    const float* w = weight->value.data();
    pack_b(units, n_in, packed_wt_, [&](int o, int i) { return w[static_cast<std::size_t>(o) * n_in + i]; });
    d_in->resize(n_samples, in_shape);
    AView g;
    g.p = dy;
    g.row_stride = units;
    g.seg_len = units;
    parallel_for(ctx.pool, blocks_of(n_samples), [&](int task) {
        const int m0 = task * rows_per_task, m1 = std::min(n_samples, m0 + rows_per_task);
        gemm(g, m0, m1, packed_wt_.data(), n_in, d_in->data.data(), n_in, false);
    });
}

}  // namespace ser::nn
