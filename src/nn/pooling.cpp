#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "nn/layers.h"
#include "nn/simd.h"

namespace ser::nn {

Shape Pool1D::configure(Shape in) {
    win_ = window_geometry(in.time, pool, stride_, padding);
    if (win_.out < 1)
        throw std::invalid_argument(where() + ": input of " + std::to_string(in.time) +
                                    " steps is shorter than the pool of " + std::to_string(pool));
    in_shape = in;
    out_shape = {in.channels, win_.out};
    return out_shape;
}

void Pool1D::forward(const Batch& in, Batch& out, const Context& ctx) {
    const int c = in.shape.channels, t_in = in.shape.time;
    out.resize(in.n, out_shape);
    const bool track = ctx.training() && kind == PoolKind::max;
    if (track) argmax_.resize(out.data.size());
    parallel_for(ctx.pool, in.n, [&](int n) {
        const float* x = in.sample(n);
        float* y = out.sample(n);
        for (int t = 0; t < win_.out; ++t) {
            const int start = t * stride_ - win_.pad_left;
            const int lo = std::max(start, 0), hi = std::min(start + pool, t_in);
            float* yt = y + static_cast<std::size_t>(t) * c;
            const float* x0 = x + static_cast<std::size_t>(lo) * c;
            if (track) {  // the max and where it came from (as a float: exact for any length)
                float* am = argmax_.data() + (static_cast<std::size_t>(n) * win_.out + t) * c;
                int i = 0;
                for (; i + simd::width <= c; i += simd::width) {
                    simd::vf m = simd::load(x0 + i), where = simd::set1(static_cast<float>(lo));
                    for (int s = lo + 1; s < hi; ++s) {
                        const simd::vf v = simd::load(x + static_cast<std::size_t>(s) * c + i);
                        where = simd::where_greater(v, m, simd::set1(static_cast<float>(s)), where);
                        m = simd::max(m, v);
                    }
                    simd::store(yt + i, m);
                    simd::store(am + i, where);
                }
                for (; i < c; ++i) {
                    int best = lo;
                    for (int s = lo + 1; s < hi; ++s)
                        if (x[static_cast<std::size_t>(s) * c + i] > x[static_cast<std::size_t>(best) * c + i]) best = s;
                    yt[i] = x[static_cast<std::size_t>(best) * c + i];
                    am[i] = static_cast<float>(best);
                }
                continue;
            }
            int i = 0;
            if (kind == PoolKind::max) {
                for (; i + simd::width <= c; i += simd::width) {
                    simd::vf m = simd::load(x0 + i);
                    for (int s = lo + 1; s < hi; ++s) m = simd::max(m, simd::load(x + static_cast<std::size_t>(s) * c + i));
                    simd::store(yt + i, m);
                }
                for (; i < c; ++i) {
                    float m = x0[i];
                    for (int s = lo + 1; s < hi; ++s) m = std::max(m, x[static_cast<std::size_t>(s) * c + i]);
                    yt[i] = m;
                }
            } else {
                const float inv = 1.0f / static_cast<float>(hi - lo);
                for (; i + simd::width <= c; i += simd::width) {
                    simd::vf m = simd::load(x0 + i);
                    for (int s = lo + 1; s < hi; ++s) m = simd::add(m, simd::load(x + static_cast<std::size_t>(s) * c + i));
                    simd::store(yt + i, simd::mul(m, simd::set1(inv)));
                }
                for (; i < c; ++i) {
                    float m = x0[i];
                    for (int s = lo + 1; s < hi; ++s) m += x[static_cast<std::size_t>(s) * c + i];
                    yt[i] = m * inv;
                }
            }
        }
    });
}

void Pool1D::backward(const Batch& in, const Batch&, const Batch& d_out, Batch* d_in, const Context& ctx) {
    if (!d_in) return;
    const int c = in.shape.channels, t_in = in.shape.time;
    d_in->resize(in.n, in_shape);
    std::fill(d_in->data.begin(), d_in->data.end(), 0.0f);
    parallel_for(ctx.pool, in.n, [&](int n) {
        const float* dy = d_out.sample(n);
        float* dx = d_in->sample(n);
        for (int t = 0; t < win_.out; ++t) {
            const float* dyt = dy + static_cast<std::size_t>(t) * c;
            if (kind == PoolKind::max) {
                const float* am = argmax_.data() + (static_cast<std::size_t>(n) * win_.out + t) * c;
                for (int i = 0; i < c; ++i) dx[static_cast<std::size_t>(am[i]) * c + i] += dyt[i];
            } else {
                const int start = t * stride_ - win_.pad_left;
                const int lo = std::max(start, 0), hi = std::min(start + pool, t_in);
                const float inv = 1.0f / static_cast<float>(hi - lo);
                for (int s = lo; s < hi; ++s)
                    for (int i = 0; i < c; ++i) dx[static_cast<std::size_t>(s) * c + i] += dyt[i] * inv;
            }
        }
    });
}

const char* GlobalPool::type() const {
    switch (kind) {
        case GlobalPoolKind::average: return "global_avgpool";
        case GlobalPoolKind::max: return "global_maxpool";
        case GlobalPoolKind::statistics: return "stats_pool";
        case GlobalPoolKind::attention: return "attention_pool";
    }
    return "global_avgpool";
}

Shape GlobalPool::configure(Shape in) {
    if (in.time < 1) throw std::invalid_argument(where() + ": input has no time steps");
    if (kind == GlobalPoolKind::attention) {
        const std::vector<int> shape{in.channels};
        if (!weight) {
            weight.emplace("weight", shape, true, true);
            bias.emplace("bias", std::vector<int>{1}, true, false);
        } else if (weight->shape != shape) {
            throw std::invalid_argument(where() + ": input has " + std::to_string(in.channels) +
                                        " channels but the weights expect " + std::to_string(weight->shape[0]));
        }
    }
    in_shape = in;
    out_shape = {kind == GlobalPoolKind::statistics ? 2 * in.channels : in.channels, 1};
    return out_shape;
}

std::vector<Param*> GlobalPool::tensors() {
    if (kind != GlobalPoolKind::attention) return {};
    return {&*weight, &*bias};
}

void GlobalPool::init_parameters(std::uint64_t) {
    // Zero scores make attention start as plain averaging; training moves it from there.
    if (weight) std::fill(weight->value.begin(), weight->value.end(), 0.0f);
    if (bias) bias->value[0] = 0.0f;
}

namespace {

// sums[i] = x[0][i] + x[1][i] + ... for a [time][channels] sample.
void sum_over_time(const float* x, int time, int channels, float* sums) {
    std::fill(sums, sums + channels, 0.0f);
    for (int t = 0; t < time; ++t) {
        const float* xt = x + static_cast<std::size_t>(t) * channels;
        for (int i = 0; i < channels; ++i) sums[i] += xt[i];
    }
}

}  // namespace

void GlobalPool::forward(const Batch& in, Batch& out, const Context& ctx) {
    const int c = in.shape.channels, t_len = in.shape.time;
    out.resize(in.n, out_shape);
    if (kind == GlobalPoolKind::max && ctx.training()) argmax_.resize(static_cast<std::size_t>(in.n) * c);
    if (kind == GlobalPoolKind::attention) alpha_.resize(static_cast<std::size_t>(in.n) * t_len);
    parallel_for(ctx.pool, in.n, [&](int n) {
        const float* x = in.sample(n);
        float* y = out.sample(n);
        auto at = [&](int t, int i) { return x[static_cast<std::size_t>(t) * c + i]; };
        switch (kind) {
            // Sums run over time for every channel at once (vectorised across channels), each
            // channel's in the same order as one at a time.
            case GlobalPoolKind::average:
                sum_over_time(x, t_len, c, y);
                for (int i = 0; i < c; ++i) y[i] /= static_cast<float>(t_len);
                break;
            case GlobalPoolKind::max:
                for (int i = 0; i < c; ++i) {
                    int best = 0;
                    for (int t = 1; t < t_len; ++t)
                        if (at(t, i) > at(best, i)) best = t;
                    y[i] = at(best, i);
                    if (ctx.training()) argmax_[static_cast<std::size_t>(n) * c + i] = best;
                }
                break;
            case GlobalPoolKind::statistics: {
                float* mean = y;
                float* sd = y + c;
                sum_over_time(x, t_len, c, mean);
                for (int i = 0; i < c; ++i) mean[i] /= static_cast<float>(t_len);
                std::fill(sd, sd + c, 0.0f);
                for (int t = 0; t < t_len; ++t) {
                    const float* xt = x + static_cast<std::size_t>(t) * c;
                    for (int i = 0; i < c; ++i) sd[i] += (xt[i] - mean[i]) * (xt[i] - mean[i]);
                }
                for (int i = 0; i < c; ++i) sd[i] = std::sqrt(sd[i] / static_cast<float>(t_len) + epsilon);
                break;
            }
            case GlobalPoolKind::attention: {
                float* a = alpha_.data() + static_cast<std::size_t>(n) * t_len;
                for (int t = 0; t < t_len; ++t) {
                    float s = bias->value[0];
                    for (int i = 0; i < c; ++i) s += weight->value[i] * at(t, i);
                    a[t] = s;
                }
                softmax_inplace(a, t_len);
                for (int i = 0; i < c; ++i) y[i] = 0.0f;
                for (int t = 0; t < t_len; ++t)
                    for (int i = 0; i < c; ++i) y[i] += a[t] * at(t, i);
                break;
            }
        }
    });
}

void GlobalPool::backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in, const Context&) {
    const int c = in.shape.channels, t_len = in.shape.time;
    if (kind == GlobalPoolKind::attention) {
        std::fill(weight->grad.begin(), weight->grad.end(), 0.0f);
        bias->grad[0] = 0.0f;
    }
    if (d_in) d_in->resize(in.n, in_shape);
    // Sequential over samples: attention's weight gradient sums over them in a fixed order.
    for (int n = 0; n < in.n; ++n) {
        const float* x = in.sample(n);
        const float* y = out.sample(n);
        const float* dy = d_out.sample(n);
        float* dx = d_in ? d_in->sample(n) : nullptr;
        auto at = [&](int t, int i) { return x[static_cast<std::size_t>(t) * c + i]; };
        auto dxat = [&](int t, int i) -> float& { return dx[static_cast<std::size_t>(t) * c + i]; };
        switch (kind) {
            case GlobalPoolKind::average:
                if (dx)
                    for (int t = 0; t < t_len; ++t)
                        for (int i = 0; i < c; ++i) dxat(t, i) = dy[i] / static_cast<float>(t_len);
                break;
            case GlobalPoolKind::max:
                if (dx) {
                    std::fill(dx, dx + d_in->sample_size(), 0.0f);
                    for (int i = 0; i < c; ++i) dxat(argmax_[static_cast<std::size_t>(n) * c + i], i) = dy[i];
                }
                break;
            case GlobalPoolKind::statistics:
                if (dx)
                    for (int i = 0; i < c; ++i) {
                        const float mean = y[i], sd = y[c + i];
                        for (int t = 0; t < t_len; ++t)
                            dxat(t, i) = (dy[i] + dy[c + i] * (at(t, i) - mean) / sd) / static_cast<float>(t_len);
                    }
                break;
            case GlobalPoolKind::attention: {
                const float* a = alpha_.data() + static_cast<std::size_t>(n) * t_len;
                // d score_t = alpha_t * (g_t - sum_u alpha_u g_u), with g_t = dy · x_t.
                float mean_g = 0.0f;
                std::vector<float> ds(static_cast<std::size_t>(t_len));
                for (int t = 0; t < t_len; ++t) {
                    float g = 0.0f;
                    for (int i = 0; i < c; ++i) g += dy[i] * at(t, i);
                    ds[t] = g;
                    mean_g += a[t] * g;
                }
                for (int t = 0; t < t_len; ++t) {
                    ds[t] = a[t] * (ds[t] - mean_g);
                    bias->grad[0] += ds[t];
                    for (int i = 0; i < c; ++i) weight->grad[i] += ds[t] * at(t, i);
                    if (dx)
                        for (int i = 0; i < c; ++i) dxat(t, i) = a[t] * dy[i] + ds[t] * weight->value[i];
                }
                break;
            }
        }
    }
}

}  // namespace ser::nn
