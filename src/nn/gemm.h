#pragma once
// One matrix-multiply kernel serves every layer, forward and backward:
//     C[M][N] (+)= A[M][K] · B[K][N]
// B is packed once into column panels of `panel_width` floats (zero-padded), so the inner
// loop streams contiguous memory. A is read in place through a strided view, which lets a
// convolution use its padded input as A without copying it into an im2col matrix.

#include <vector>

#include "nn/simd.h"
#include "nn/thread_pool.h"

namespace ser::nn {

// Register tile: rows of C × vectors of C per tile, chosen per instruction set so the
// accumulators fit in registers.
// (V8 keeps a 4 x 4 tile of WASM vectors in registers and it measured 5-8% faster than 6 x 2.)
// AVX-512: 12 x 2 rather than 6 x 4, so panels are 32 columns wide and the shipped model's
// 96 and 160 filters fill them (64-column panels computed a third and a sixth of zeros): on
// its layer shapes 205-211 GFLOP/s against 153-173 (docs/ENGINE.md).
#if SER_SIMD_USE_AVX512
inline constexpr int gemm_rows = 12, gemm_vectors = 2;
#elif SER_SIMD_USE_AVX2 || SER_SIMD_USE_SSE2
inline constexpr int gemm_rows = 6, gemm_vectors = 2;
#elif SER_SIMD_USE_WASM
inline constexpr int gemm_rows = 4, gemm_vectors = 4;
#else
inline constexpr int gemm_rows = 4, gemm_vectors = 4;
#endif
inline constexpr int panel_width = gemm_vectors * simd::width;

// Element (m, kk) of A lives at p[m*row_stride + (kk / seg_len)*seg_stride + (kk % seg_len)*elem_stride].
// Segments let K run over (kernel tap, channel) or (sample, time) without materialising A.
struct AView {
    const float* p = nullptr;
    int row_stride = 0;
    int seg_count = 1;
    int seg_len = 0;
    int seg_stride = 0;
    int elem_stride = 1;
    int k() const { return seg_count * seg_len; }
};

inline int packed_size(int k, int n) { return (n + panel_width - 1) / panel_width * panel_width * k; }

// Packs B(kk, n) = at(kk, n) for kk < k, n < n_cols into dst (packed_size(k, n_cols) floats),
// one panel per task on the pool when there is one.
template <class At>
void pack_b(int k, int n_cols, float* dst, At&& at, ThreadPool* pool = nullptr) {
    const int panels = (n_cols + panel_width - 1) / panel_width;
    parallel_for(pool_if_worth(pool, static_cast<std::size_t>(k) * n_cols), panels, [&](int p) {
        const int n0 = p * panel_width;
        const int cols = n_cols - n0 < panel_width ? n_cols - n0 : panel_width;
        float* out = dst + static_cast<std::size_t>(p) * panel_width * k;
        for (int kk = 0; kk < k; ++kk) {
            for (int j = 0; j < cols; ++j) out[j] = at(kk, n0 + j);
            for (int j = cols; j < panel_width; ++j) out[j] = 0.0f;
            out += panel_width;
        }
    });
}

// The same into a vector that grows as needed and never shrinks.
template <class At>
void pack_b(int k, int n_cols, std::vector<float>& out, At&& at, ThreadPool* pool = nullptr) {
    const auto size = static_cast<std::size_t>(packed_size(k, n_cols));
    if (out.size() < size) out.resize(size);
    pack_b(k, n_cols, out.data(), at, pool);
}

// C rows m0..m1 of the product. `accumulate` adds to C instead of overwriting it.
void gemm(const AView& a, int m0, int m1, const float* packed_b, int n_cols, float* c, int ldc,
          bool accumulate);

}  // namespace ser::nn
