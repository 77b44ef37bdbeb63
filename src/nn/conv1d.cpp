#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "nn/gemm.h"
#include "nn/layers.h"
#include "nn/rng.h"

namespace ser::nn {
void init_glorot(Param& p, int fan_in, int fan_out, std::uint64_t seed) {
    const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
    fill_uniform(p.value, seed, -limit, limit);
}

Shape Conv1D::configure(Shape in) {
    win_ = window_geometry(in.time, extent(), stride_, padding);
    if (win_.out < 1)
        throw std::invalid_argument(where() + ": input of " + std::to_string(in.time) +
                                    " steps is shorter than the kernel's span of " + std::to_string(extent()));
    const std::vector<int> wshape{filters, in.channels, kernel};
    if (!weight) {
        weight.emplace("weight", wshape, true, true);
        if (use_bias) bias.emplace("bias", std::vector<int>{filters}, true, false);
    } else if (weight->shape != wshape) {
        throw std::invalid_argument(where() + ": input has " + std::to_string(in.channels) +
                                    " channels but the weights expect " + std::to_string(weight->shape[1]));
    }
    in_shape = in;
    out_shape = {filters, win_.out};
    return out_shape;
}

std::vector<Param*> Conv1D::tensors() {
    std::vector<Param*> t{&*weight};
    if (bias) t.push_back(&*bias);
    return t;
}

void Conv1D::init_parameters(std::uint64_t seed) {
    init_glorot(*weight, in_shape.channels * kernel, filters * kernel, seed);
    if (bias) std::fill(bias->value.begin(), bias->value.end(), 0.0f);
    invalidate();
}

bool Conv1D::winograd() const { return winograd_applies(kernel, stride_); }

void Conv1D::forward(const Batch& in, Batch& out, const Context& ctx) {
    const int n_samples = in.n, ci = in.shape.channels, co = filters, t_in = in.shape.time;
    const bool wino = winograd();
    out.resize(n_samples, out_shape);
    // Winograd works on tiles of outputs: a part-full last tile reads more (zero) rows.
    padded_rows_ = wino ? std::max(win_.padded, winograd_rows(win_.out, kernel, dilation)) : win_.padded;
    padded_.resize(n_samples, {ci, padded_rows_});
    scratch_.resize(static_cast<std::size_t>(pool_threads(ctx.pool)));

    if (!packed_valid_) {
        const float* w = weight->value.data();
        if (wino)
            winograd_pack(kernel, ci, co, wino_, [&](int o, int i, int k) { return w[(o * ci + i) * kernel + k]; }, ctx.pool);
        else
            pack_b(kernel * ci, co, packed_w_, [&](int kk, int o) { return w[(o * ci + kk % ci) * kernel + kk / ci]; },
                   ctx.pool);
        packed_valid_ = !ctx.training();
    }

    AView a;
    a.row_stride = stride_ * ci;
    if (dilation == 1) {
        a.seg_len = kernel * ci;
    } else {
        a.seg_count = kernel;
        a.seg_len = ci;
        a.seg_stride = dilation * ci;
    }

    parallel_for(ctx.pool, n_samples, [&](int n) {
        float* xp = padded_.sample(n);
        const std::size_t left = static_cast<std::size_t>(win_.pad_left) * ci;
        const std::size_t body = static_cast<std::size_t>(t_in) * ci;
        std::fill(xp, xp + left, 0.0f);
        std::memcpy(xp + left, in.sample(n), body * sizeof(float));
        std::fill(xp + left + body, xp + padded_.sample_size(), 0.0f);

        float* y = out.sample(n);
        if (wino) {
            winograd_conv(wino_, xp, win_.out, dilation, bias ? bias->value.data() : nullptr, y,
                          scratch_[static_cast<std::size_t>(pool_thread(ctx.pool))]);
            return;
        }
        if (bias) {
            for (int t = 0; t < win_.out; ++t) std::memcpy(y + static_cast<std::size_t>(t) * co, bias->value.data(), co * sizeof(float));
        }
        AView view = a;
        view.p = xp;
        gemm(view, 0, win_.out, packed_w_.data(), co, y, co, bias.has_value());
    });
}

void Conv1D::backward(const Batch& /*in*/, const Batch& /*out*/, const Batch& d_out, Batch* d_in, const Context& ctx) {
    const int n_samples = d_out.n, ci = in_shape.channels, co = filters, t_out = win_.out, tp = padded_rows_;
    const float* dy = d_out.data.data();

    if (bias) {
        float* g = bias->grad.data();
        std::fill(g, g + co, 0.0f);
        const std::size_t rows = static_cast<std::size_t>(n_samples) * t_out;
        for (std::size_t r = 0; r < rows; ++r) {
            const float* row = dy + r * co;
            int c = 0;
            for (; c + simd::width <= co; c += simd::width) simd::store(g + c, simd::add(simd::load(g + c), simd::load(row + c)));
            for (; c < co; ++c) g[c] += row[c];
        }
    }

    // dW[k][ci][co] = sum over samples and output steps of x_padded[t*stride + k*dilation][ci] * dy[t][co].
    dw_.resize(static_cast<std::size_t>(kernel) * ci * co);
    const bool wino = winograd() && dilation == 1;  // the gradients' Winograd forms are undilated
    if (wino && ci >= 8) {  // (a single input channel is a GEMM too thin to gain from it)
        winograd_weight_gradient(kernel, n_samples, padded_.data.data(), padded_.sample_size(), ci, dy, t_out, co,
                                 dw_.data(), wino_grad_, ctx.pool);
    } else {
        const int rows_total = n_samples * t_out;
        pack_b(rows_total, co, packed_dy_, [&](int kk, int o) { return dy[static_cast<std::size_t>(kk) * co + o]; },
               ctx.pool);
        constexpr int block = 4 * gemm_rows;
        const int blocks = (ci + block - 1) / block;
        parallel_for(ctx.pool, kernel * blocks, [&](int task) {
            const int k = task / blocks, m0 = task % blocks * block, m1 = std::min(ci, m0 + block);
            AView a;
            a.p = padded_.data.data() + static_cast<std::size_t>(k) * dilation * ci;
            a.row_stride = 1;
            a.seg_count = n_samples;
            a.seg_len = t_out;
            a.seg_stride = tp * ci;
            a.elem_stride = stride_ * ci;
            gemm(a, m0, m1, packed_dy_.data(), co, dw_.data() + static_cast<std::size_t>(k) * ci * co, co, false);
        });
    }
    float* gw = weight->grad.data();
    parallel_for(pool_if_worth(ctx.pool, dw_.size()), co, [&](int o) {
        for (int c = 0; c < ci; ++c)
            for (int k = 0; k < kernel; ++k)
                gw[(o * ci + c) * kernel + k] = dw_[(static_cast<std::size_t>(k) * ci + c) * co + o];
    });

    if (!d_in) return;
    const float* w = weight->value.data();
    d_in->resize(n_samples, in_shape);
    if (wino) {
        // dx_padded[t'] = sum_j dy_padded[t' + j] · W[:, :, K-1-j]: a valid correlation of dy
        // (K-1 zero rows each side) with the flipped, transposed filters. Only the rows of
        // the real input are computed.
        winograd_pack(
            kernel, co, ci, wino_t_, [&](int c, int o, int j) { return w[(o * ci + c) * kernel + kernel - 1 - j]; }, ctx.pool);
        const int t_in = in_shape.time;
        const int rows = std::max(t_out + 2 * (kernel - 1), win_.pad_left + winograd_rows(t_in, kernel, 1));
        dy_padded_.resize(n_samples, {co, rows});
        parallel_for(ctx.pool, n_samples, [&](int n) {
            float* dyp = dy_padded_.sample(n);
            const std::size_t lead = static_cast<std::size_t>(kernel - 1) * co, body = static_cast<std::size_t>(t_out) * co;
            std::fill(dyp, dyp + lead, 0.0f);
            std::memcpy(dyp + lead, dy + static_cast<std::size_t>(n) * body, body * sizeof(float));
            std::fill(dyp + lead + body, dyp + dy_padded_.sample_size(), 0.0f);
            winograd_conv(wino_t_, dyp + static_cast<std::size_t>(win_.pad_left) * co, t_in, 1, nullptr, d_in->sample(n),
                          scratch_[static_cast<std::size_t>(pool_thread(ctx.pool))]);
        });
        return;
    }
    // dx_padded[t*stride + k*dilation] += dy[t] · W[:, :, k]^T, one tap at a time.
    const std::size_t tap_size = static_cast<std::size_t>(packed_size(co, ci));
    if (packed_wt_.size() < tap_size * kernel) packed_wt_.resize(tap_size * kernel);
    for (int k = 0; k < kernel; ++k)
        pack_b(co, ci, packed_wt_.data() + k * tap_size, [&](int o, int c) { return w[(o * ci + c) * kernel + k]; });
    d_padded_.resize(n_samples, {ci, tp});
    parallel_for(ctx.pool, n_samples, [&](int n) {
        float* dxp = d_padded_.sample(n);
        std::fill(dxp, dxp + d_padded_.sample_size(), 0.0f);
        AView a;
        a.p = dy + static_cast<std::size_t>(n) * t_out * co;
        a.row_stride = co;
        a.seg_len = co;
        for (int k = 0; k < kernel; ++k)
            gemm(a, 0, t_out, packed_wt_.data() + k * tap_size, ci, dxp + static_cast<std::size_t>(k) * dilation * ci,
                 stride_ * ci, true);
        std::memcpy(d_in->sample(n), dxp + static_cast<std::size_t>(win_.pad_left) * ci, d_in->sample_size() * sizeof(float));
    });
}

}  // namespace ser::nn
