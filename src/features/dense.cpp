#include "features/dense.h"

#include <algorithm>
#include <cstring>

namespace ser {
namespace {

constexpr int tile_rows = 4;
constexpr int tile_cols = 8;
// Eight frames' sums side by side: GCC and Clang map this onto whatever vector registers the
// target has (AVX-512, AVX2, SSE2, WASM SIMD 128), lane by lane, without reordering any sum.
using Lanes = double __attribute__((vector_size(tile_cols * sizeof(double))));

void full_tile(const Matrix& a, const Matrix& in, int i0, int t0, Matrix& out) {
    Lanes acc[tile_rows] = {};
    const double* w = &a.values[static_cast<std::size_t>(i0) * static_cast<std::size_t>(a.cols)];
    const auto stride = static_cast<std::size_t>(a.cols);
    for (int j = 0; j < a.cols; ++j) {
        Lanes x;
        std::memcpy(&x, in.row(j) + t0, sizeof x);
        for (int r = 0; r < tile_rows; ++r) acc[r] += w[static_cast<std::size_t>(r) * stride + static_cast<std::size_t>(j)] * x;
    }
    for (int r = 0; r < tile_rows; ++r) std::memcpy(out.row(i0 + r) + t0, &acc[r], sizeof acc[r]);
}

void partial_tile(const Matrix& a, const Matrix& in, int i0, int t0, int rows, int cols, Matrix& out) {
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            double sum = 0.0;
            for (int j = 0; j < a.cols; ++j) sum += a.at(i0 + r, j) * in.at(j, t0 + c);
            out.at(i0 + r, t0 + c) = sum;
        }
    }
}

}  // namespace

void multiply(const Matrix& a, const Matrix& in, Matrix& out) {
    out.resize(a.rows, in.cols);
    for (int i0 = 0; i0 < a.rows; i0 += tile_rows) {
        const int rows = std::min(tile_rows, a.rows - i0);
        for (int t0 = 0; t0 < in.cols; t0 += tile_cols) {
            const int cols = std::min(tile_cols, in.cols - t0);
#ifdef SER_SIMD_SCALAR  // bench/features' scalar build: the same sums, one at a time
            const bool vector_tile = false;
#else
            const bool vector_tile = true;
#endif
            if (vector_tile && rows == tile_rows && cols == tile_cols) {
                full_tile(a, in, i0, t0, out);
            } else {
                partial_tile(a, in, i0, t0, rows, cols, out);
            }
        }
    }
}

}  // namespace ser
