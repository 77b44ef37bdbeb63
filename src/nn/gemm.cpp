#include "nn/gemm.h"

#include <algorithm>

namespace ser::nn {
namespace {

template <int Rows>
void tile(const AView& a, int m, const float* b, float* c, int ldc, int cols, bool accumulate) {
    using namespace simd;
    vf acc[Rows][gemm_vectors];
    for (int r = 0; r < Rows; ++r)
        for (int v = 0; v < gemm_vectors; ++v) acc[r][v] = zero();

    const float* a_row = a.p + static_cast<std::ptrdiff_t>(m) * a.row_stride;
    for (int s = 0; s < a.seg_count; ++s) {
        const float* as = a_row + static_cast<std::ptrdiff_t>(s) * a.seg_stride;
        // A copy the segment's loop owns: with `acc` itself GCC 12 stored every accumulator
        // to the stack after each multiply-add, which halved the kernel's speed.
        vf x[Rows][gemm_vectors];
        for (int r = 0; r < Rows; ++r)
            for (int v = 0; v < gemm_vectors; ++v) x[r][v] = acc[r][v];
        for (int j = 0; j < a.seg_len; ++j, b += panel_width) {
            const float* aj = as + static_cast<std::ptrdiff_t>(j) * a.elem_stride;
            vf bv[gemm_vectors];
            for (int v = 0; v < gemm_vectors; ++v) bv[v] = load(b + v * width);
            for (int r = 0; r < Rows; ++r) {
                const vf ar = broadcast(aj + static_cast<std::ptrdiff_t>(r) * a.row_stride);
                for (int v = 0; v < gemm_vectors; ++v) x[r][v] = fma(ar, bv[v], x[r][v]);
            }
        }
        for (int r = 0; r < Rows; ++r)
            for (int v = 0; v < gemm_vectors; ++v) acc[r][v] = x[r][v];
    }

    for (int r = 0; r < Rows; ++r) {
        float* cr = c + static_cast<std::ptrdiff_t>(m + r) * ldc;
        if (cols == panel_width) {
            for (int v = 0; v < gemm_vectors; ++v) {
                vf out = acc[r][v];
                if (accumulate) out = add(out, load(cr + v * width));
                store(cr + v * width, out);
            }
        } else {
            alignas(64) float tmp[panel_width];
            for (int v = 0; v < gemm_vectors; ++v) store(tmp + v * width, acc[r][v]);
            for (int j = 0; j < cols; ++j) cr[j] = accumulate ? cr[j] + tmp[j] : tmp[j];
        }
    }
}

template <int Rows>
void tile_rows(int rows, const AView& a, int m, const float* b, float* c, int ldc, int cols, bool acc) {
    if constexpr (Rows > 0) {
        if (rows == Rows) return tile<Rows>(a, m, b, c, ldc, cols, acc);
        tile_rows<Rows - 1>(rows, a, m, b, c, ldc, cols, acc);
    }
}

}  // namespace

void gemm(const AView& a, int m0, int m1, const float* packed_b, int n_cols, float* c, int ldc,
          bool accumulate) {
    const int k = a.k();
    for (int n0 = 0; n0 < n_cols; n0 += panel_width) {
        const int cols = std::min(panel_width, n_cols - n0);
        const float* panel = packed_b + static_cast<std::ptrdiff_t>(n0) * k;
        // Rows split evenly over the fewest tiles: 50 rows as 5 x 10, not 4 x 12 and a tile of
        // 2, whose few accumulators would wait on each multiply-add's latency.
        const int rows = m1 - m0, tiles = (rows + gemm_rows - 1) / gemm_rows;
        for (int t = 0, m = m0; t < tiles; ++t) {
            const int height = rows / tiles + (t < rows % tiles ? 1 : 0);
            tile_rows<gemm_rows>(height, a, m, panel, c + n0, ldc, cols, accumulate);
            m += height;
        }
    }
}

}  // namespace ser::nn
