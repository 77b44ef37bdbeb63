#pragma once
// What the benchmarks measure the engine against: the arithmetic a network's forward pass
// needs, and one core's measured multiply-add peak with the engine's own vector type.

#include <algorithm>
#include <chrono>

#include "nn/layers.h"
#include "nn/network.h"
#include "nn/simd.h"
#include "nn/winograd.h"

namespace ser::bench {

// FLOPs of one inference forward pass (multiply and add counted separately), as a direct
// convolution needs them: the figure peers are compared on. With `as_done`, Winograd layers
// count the arithmetic the engine actually does: winograd_points products per tile.
inline double forward_flops(const nn::Network& net, bool as_done = false) {
    double f = 0.0;
    for (const auto& l : net.layers()) {
        if (auto* c = dynamic_cast<const nn::Conv1D*>(l.get())) {
            const double tiles = nn::winograd_tiles(c->out_shape.time, c->kernel, c->dilation);
            f += as_done && nn::winograd_applies(c->kernel, c->stride())
                     ? 2.0 * tiles * nn::winograd_points(c->kernel) * c->filters * c->in_shape.channels
                     : 2.0 * c->out_shape.time * c->filters * c->in_shape.channels * c->kernel;
        }
        if (auto* d = dynamic_cast<const nn::Dense*>(l.get())) f += 2.0 * d->units * d->in_shape.channels;
    }
    return f;
}

// One core's multiply-add throughput with the engine's vector type, in the GEMM kernel's
// pattern: independent accumulators acc_i += x_i * y, with y changing every iteration (as
// the broadcast A value does) so nothing can be hoisted. The best of a few chain counts.
template <int Chains>
inline double multiply_add_flops() {
    using namespace simd;
    vf acc[Chains], x[Chains];
    for (int i = 0; i < Chains; ++i) {
        acc[i] = zero();
        x[i] = set1(1.0f + static_cast<float>(i) * 1e-3f);
    }
    vf y = set1(1e-3f);
    const vf step = set1(1e-9f);
    const long iters = 40'000'000 / simd::width / Chains;
    const auto t0 = std::chrono::steady_clock::now();
    for (long it = 0; it < iters; ++it) {
        for (int i = 0; i < Chains; ++i) acc[i] = fma(x[i], y, acc[i]);
        y = add(y, step);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    float sink[simd::width * Chains];
    for (int i = 0; i < Chains; ++i) store(sink + i * simd::width, acc[i]);
    float total = 0.0f;  // every chain feeds the result, or the compiler drops all but one
    for (float v : sink) total += v;
    volatile float keep = total;
    (void)keep;
    return 2.0 * simd::width * Chains * static_cast<double>(iters) / s;
}

inline double peak_flops_one_core() {
    double best = 0.0;
    for (int rep = 0; rep < 5; ++rep)
        best = std::max({best, multiply_add_flops<8>(), multiply_add_flops<10>(), multiply_add_flops<12>()});
    return best;
}

}  // namespace ser::bench
