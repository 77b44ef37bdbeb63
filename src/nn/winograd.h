#pragma once
// Winograd's minimal filtering F(4, r) for stride-1 convolutions of 3 or 5 taps: four
// outputs from r + 3 multiplications per input/output channel pair instead of 4r (2x fewer
// for 3 taps, 2.5x for 5), as r + 3 small GEMMs on transformed inputs and weights.
//   y = Aᵀ [ (G g) ⊙ (Bᵀ d) ]   at the points 0, ±1, ±2 (and ±1/2 for 5 taps) and infinity.
// The weight transform runs once per pack (in double); inputs and outputs are transformed
// with SIMD over channels in the channels-last layout.

#include <vector>

#include "nn/gemm.h"

namespace ser::nn {

// Forward passes of any dilation (a dilated convolution is `dilation` undilated ones, each
// over every dilation-th step); the gradients only of undilated ones.
bool winograd_applies(int kernel, int stride);

// The transformed points of a forward shape, and the outputs a tile of them yields.
int winograd_points(int kernel);
int winograd_tile(int kernel);

// Transformed weights, packed for gemm(): winograd_points(kernel) matrices [in][out].
struct WinogradWeights {
    int kernel = 0, in = 0, out = 0;
    std::vector<float> packed;
    std::vector<float> transformed;  // scratch: G g before packing
    std::size_t stride() const { return static_cast<std::size_t>(packed_size(in, out)); }
};

// at(o, i, k): tap k of the filter from input channel i to output channel o.
template <class At>
void winograd_pack(int kernel, int in, int out, WinogradWeights& w, At&& at, ThreadPool* pool = nullptr);

// Valid correlation, with taps `dilation` rows apart, of x ([rows][in] channels-last, rows >=
// winograd_rows) into y ([out_len][out]); y = bias + result when bias is not null, else the
// result. scratch grows as needed and never shrinks.
void winograd_conv(const WinogradWeights& w, const float* x, int out_len, int dilation, const float* bias, float* y,
                   std::vector<float>& scratch);

// Tiles winograd_conv computes (each phase's outputs in tiles, the last maybe part full).
int winograd_tiles(int out_len, int kernel, int dilation);

// Rows of input winograd_conv reads: each phase's outputs are computed in whole tiles, so a
// part-full last tile reads (zero) rows past the last tap.
int winograd_rows(int out_len, int kernel, int dilation);

// Weight gradient of such a convolution, by F(kernel, 2) over pairs of output steps:
//   dw[k][i][o] = sum over samples n and steps t of x_n[t + k][i] * dy_n[t][o]
// x: padded inputs, sample n at x + n * x_stride, rows >= 2 * ceil(out_len / 2) + kernel - 1;
// dy: [n][out_len][out]; dw: [kernel][in][out]. (kernel + 1) GEMMs [in][pairs] x [pairs][out]
// replace kernel GEMMs [in][steps] x [steps][out].
struct WinogradGradientScratch {
    std::vector<float> x, dy, products;
};
void winograd_weight_gradient(int kernel, int samples, const float* x, std::size_t x_stride, int in, const float* dy,
                              int out_len, int out, float* dw, WinogradGradientScratch& scratch, ThreadPool* pool);

// G, winograd_points(kernel) x kernel row-major: the forward weight transform, for winograd_pack.
const double* winograd_g(int kernel);

template <class At>
void winograd_pack(int kernel, int in, int out, WinogradWeights& w, At&& at, ThreadPool* pool) {
    w.kernel = kernel;
    w.in = in;
    w.out = out;
    const int alpha = winograd_points(kernel);
    if (w.transformed.size() < static_cast<std::size_t>(alpha) * in * out)
        w.transformed.resize(static_cast<std::size_t>(alpha) * in * out);
    float* u = w.transformed.data();  // [alpha][in][out]
    const double* g = winograd_g(kernel);
    parallel_for(pool_if_worth(pool, static_cast<std::size_t>(in) * out * kernel), in, [&](int i) {
        double taps[8];
        for (int o = 0; o < out; ++o) {
            for (int k = 0; k < kernel; ++k) taps[k] = at(o, i, k);
            for (int a = 0; a < alpha; ++a) {
                double acc = 0.0;
                for (int k = 0; k < kernel; ++k) acc += g[a * kernel + k] * taps[k];
                u[(static_cast<std::size_t>(a) * in + i) * out + o] = static_cast<float>(acc);
            }
        }
    });
    if (w.packed.size() < w.stride() * alpha) w.packed.resize(w.stride() * alpha);
    for (int a = 0; a < alpha; ++a) {
        const float* ua = u + static_cast<std::size_t>(a) * in * out;
        pack_b(in, out, w.packed.data() + a * w.stride(),
               [&](int i, int o) { return ua[static_cast<std::size_t>(i) * out + o]; }, pool);
    }
}

}  // namespace ser::nn
