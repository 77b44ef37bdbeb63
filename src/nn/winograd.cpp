#include "nn/winograd.h"

#include <algorithm>

#include "nn/simd.h"

namespace ser::nn {
namespace {

// F(4, 3) at 0, 1, -1, 2, -2 and infinity: four outputs from six products, 1.5 per output
// (F(2, 3): 2, direct: 3). Bᵀ rows scaled to integers, the scale moved into G. The 5-tap
// weight gradient's F(5, 2) uses the same points and Bᵀ.
constexpr float bt6[6][6] = {{4, 0, -5, 0, 1, 0},  {0, 4, 4, -1, -1, 0}, {0, -4, 4, 1, -1, 0},
                             {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
constexpr double g3[6][3] = {{1.0 / 4, 0, 0},           {1.0 / 6, 1.0 / 6, 1.0 / 6},  {1.0 / 6, -1.0 / 6, 1.0 / 6},
                             {1.0 / 24, 1.0 / 12, 1.0 / 6}, {1.0 / 24, -1.0 / 12, 1.0 / 6}, {0, 0, 1}};
constexpr float at3[4][6] = {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

// F(4, 5) at 0, 1, -1, 2, -2, 1/2, -1/2 and infinity: four outputs from eight products, 2 per
// output (F(2, 5): 3, direct: 5). Every entry of Aᵀ is a power of two, so exact in float.
constexpr float bt8[8][8] = {{4, 0, -21, 0, 21, 0, -4, 0},   {0, -4, -4, 17, 17, -4, -4, 0},
                             {0, 4, -4, -17, 17, 4, -4, 0},  {0, 2, 1, -10, -5, 8, 4, 0},
                             {0, -2, 1, 10, -5, -8, 4, 0},   {0, 4, 8, -5, -10, 1, 2, 0},
                             {0, -4, 8, 5, -10, -1, 2, 0},   {0, -4, 0, 21, 0, -21, 0, 4}};
constexpr double g5[8][5] = {{1.0 / 4, 0, 0, 0, 0},
                             {1.0 / 18, 1.0 / 18, 1.0 / 18, 1.0 / 18, 1.0 / 18},
                             {1.0 / 18, -1.0 / 18, 1.0 / 18, -1.0 / 18, 1.0 / 18},
                             {1.0 / 360, 1.0 / 180, 1.0 / 90, 1.0 / 45, 2.0 / 45},
                             {1.0 / 360, -1.0 / 180, 1.0 / 90, -1.0 / 45, 2.0 / 45},
                             {16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45, 1.0 / 45},
                             {16.0 / 45, -8.0 / 45, 4.0 / 45, -2.0 / 45, 1.0 / 45},
                             {0, 0, 0, 0, 1.0 / 4}};
constexpr float at5[4][8] = {{1, 1, 1, 1, 1, 1, 1, 0},
                             {0, 1, -1, 2, -2, 0.5f, -0.5f, 0},
                             {0, 1, 1, 4, 4, 0.25f, 0.25f, 0},
                             {0, 1, -1, 8, -8, 0.125f, -0.125f, 1}};

// F(r, 2) for the weight gradient: G maps a pair of output gradients, Aᵀ yields the r taps;
// F(3, 2) at 0, 1, -1 and infinity.
constexpr float btw3[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, -1, 0, 1}};
constexpr float gw3[4][2] = {{1, 0}, {0.5f, 0.5f}, {0.5f, -0.5f}, {0, 1}};
constexpr float atw3[3][4] = {{1, 1, 1, 0}, {0, 1, -1, 0}, {0, 1, 1, 1}};
constexpr float gw5[6][2] = {{1.0f / 4, 0},           {1.0f / 6, 1.0f / 6},  {1.0f / 6, -1.0f / 6},
                             {1.0f / 24, 1.0f / 12}, {1.0f / 24, -1.0f / 12}, {0, 1}};
constexpr float atw5[5][6] = {{1, 1, 1, 1, 1, 0},   {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0},
                              {0, 1, -1, 8, -8, 0}, {0, 1, 1, 16, 16, 1}};

// Bᵀ d for one tile: v[a][c] = sum_j bt[a][j] * d[j][c], vectorised over channels; rows of d
// lie d_stride floats apart.
template <int Alpha>
void input_transform(const float (&bt)[Alpha][Alpha], const float* d, std::size_t d_stride, int channels, float* v,
                     std::size_t v_stride) {
    int c = 0;
    for (; c + simd::width <= channels; c += simd::width) {
        simd::vf in[Alpha];
        for (int j = 0; j < Alpha; ++j) in[j] = simd::load(d + static_cast<std::size_t>(j) * d_stride + c);
        for (int a = 0; a < Alpha; ++a) {
            simd::vf acc = simd::zero();
            for (int j = 0; j < Alpha; ++j)
                if (bt[a][j] != 0.0f) acc = simd::fma(simd::set1(bt[a][j]), in[j], acc);
            simd::store(v + a * v_stride + c, acc);
        }
    }
    for (; c < channels; ++c)
        for (int a = 0; a < Alpha; ++a) {
            float acc = 0.0f;
            for (int j = 0; j < Alpha; ++j) acc += bt[a][j] * d[static_cast<std::size_t>(j) * d_stride + c];
            v[a * v_stride + c] = acc;
        }
}

// Aᵀ m for one tile: up to Tile output rows (y_stride floats apart), plus the bias.
template <int Alpha, int Tile>
void output_transform(const float (&at)[Tile][Alpha], const float* m, std::size_t m_stride, int channels, int rows,
                      const float* bias, float* y, std::size_t y_stride) {
    for (int r = 0; r < std::min(rows, Tile); ++r) {
        float* yr = y + static_cast<std::size_t>(r) * y_stride;
        int c = 0;
        for (; c + simd::width <= channels; c += simd::width) {
            simd::vf acc = bias ? simd::load(bias + c) : simd::zero();
            for (int a = 0; a < Alpha; ++a)
                if (at[r][a] != 0.0f) acc = simd::fma(simd::set1(at[r][a]), simd::load(m + a * m_stride + c), acc);
            simd::store(yr + c, acc);
        }
        for (; c < channels; ++c) {
            float acc = bias ? bias[c] : 0.0f;
            for (int a = 0; a < Alpha; ++a) acc += at[r][a] * m[a * m_stride + c];
            yr[c] = acc;
        }
    }
}

// Outputs in tiles of Tile, phase by phase when dilated: tile i of phase p holds outputs
// p + d (Tile i + r) and reads input rows p + d (Tile i + j). All phases' tiles share one
// GEMM per transformed point, so a dilated layer's GEMMs are as tall as an undilated one's.
template <int Alpha, int Tile>
void conv(const float (&bt)[Alpha][Alpha], const float (&at)[Tile][Alpha], const WinogradWeights& w, const float* x,
          int out_len, int dilation, const float* bias, float* y, std::vector<float>& scratch) {
    const int phases = std::min(dilation, out_len);
    const auto outputs = [&](int p) { return (out_len - p + dilation - 1) / dilation; };
    const int tiles = winograd_tiles(out_len, w.kernel, dilation);
    const std::size_t v_stride = static_cast<std::size_t>(tiles) * w.in;    // between transformed points
    const std::size_t m_stride = static_cast<std::size_t>(tiles) * w.out;
    const std::size_t need = Alpha * (v_stride + m_stride);
    if (scratch.size() < need) scratch.resize(need);
    float* v = scratch.data();
    float* m = v + Alpha * v_stride;
    const auto d = static_cast<std::size_t>(dilation);
    const auto first_row = [&](int p, int i) {
        return static_cast<std::size_t>(p) + d * static_cast<std::size_t>(Tile * i);
    };
    for (int p = 0, t = 0; p < phases; ++p)
        for (int i = 0; Tile * i < outputs(p); ++i, ++t)
            input_transform<Alpha>(bt, x + first_row(p, i) * w.in, d * w.in, w.in,
                                   v + static_cast<std::size_t>(t) * w.in, v_stride);
    for (int a = 0; a < Alpha; ++a) {
        AView view;
        view.p = v + a * v_stride;
        view.row_stride = w.in;
        view.seg_len = w.in;
        gemm(view, 0, tiles, w.packed.data() + a * w.stride(), w.out, m + a * m_stride, w.out, false);
    }
    for (int p = 0, t = 0; p < phases; ++p)
        for (int i = 0; Tile * i < outputs(p); ++i, ++t)
            output_transform<Alpha, Tile>(at, m + static_cast<std::size_t>(t) * w.out, m_stride, w.out,
                                          std::min(Tile, outputs(p) - Tile * i), bias, y + first_row(p, i) * w.out,
                                          d * w.out);
}

template <int Alpha>
void weight_gradient(const float (&bt)[Alpha][Alpha], const float (&g)[Alpha][2], const float (&at)[Alpha - 1][Alpha],
                     int samples, const float* x, std::size_t x_stride, int in, const float* dy, int out_len, int out,
                     float* dw, WinogradGradientScratch& s, ThreadPool* pool) {
    constexpr int kernel = Alpha - 1;
    const int tiles = (out_len + 1) / 2, rows = samples * tiles;
    const std::size_t x_size = static_cast<std::size_t>(rows) * in;
    const std::size_t dy_size = static_cast<std::size_t>(packed_size(rows, out));
    const std::size_t products = static_cast<std::size_t>(in) * out;
    if (s.x.size() < Alpha * x_size) s.x.resize(Alpha * x_size);
    if (s.dy.size() < Alpha * dy_size) s.dy.resize(Alpha * dy_size);
    if (s.products.size() < Alpha * products) s.products.resize(Alpha * products);

    parallel_for(pool, samples, [&](int n) {  // Bᵀ on input windows, [point][sample, pair][in]
        for (int t = 0; t < tiles; ++t)
            input_transform<Alpha>(bt, x + n * x_stride + static_cast<std::size_t>(2 * t) * in, in, in,
                                   s.x.data() + (static_cast<std::size_t>(n) * tiles + t) * in, x_size);
    });
    for (int a = 0; a < Alpha; ++a)  // G on pairs of output gradients, packed as GEMM B
        pack_b(
            rows, out, s.dy.data() + a * dy_size,
            [&](int kk, int o) {
                const int n = kk / tiles, t = 2 * (kk % tiles);
                const float* d = dy + (static_cast<std::size_t>(n) * out_len + t) * out + o;
                return g[a][0] * d[0] + (t + 1 < out_len ? g[a][1] * d[out] : 0.0f);
            },
            pool);
    constexpr int block = 4 * gemm_rows;
    const int blocks = (in + block - 1) / block;
    parallel_for(pool, Alpha * blocks, [&](int task) {  // products[a][in][out], summed over pairs
        const int a = task / blocks, m0 = task % blocks * block, m1 = std::min(in, m0 + block);
        AView view;
        view.p = s.x.data() + a * x_size;
        view.row_stride = 1;
        view.seg_len = rows;
        view.elem_stride = in;
        gemm(view, m0, m1, s.dy.data() + a * dy_size, out, s.products.data() + a * products, out, false);
    });
    parallel_for(pool, in, [&](int i) {  // Aᵀ: the taps
        for (int k = 0; k < kernel; ++k) {
            float* row = dw + (static_cast<std::size_t>(k) * in + i) * out;
            for (int o = 0; o < out; ++o) {
                float acc = 0.0f;
                for (int a = 0; a < Alpha; ++a)
                    acc += at[k][a] * s.products[a * products + static_cast<std::size_t>(i) * out + o];
                row[o] = acc;
            }
        }
    });
}

}  // namespace

void winograd_weight_gradient(int kernel, int samples, const float* x, std::size_t x_stride, int in, const float* dy,
                              int out_len, int out, float* dw, WinogradGradientScratch& scratch, ThreadPool* pool) {
    if (kernel == 3) weight_gradient<4>(btw3, gw3, atw3, samples, x, x_stride, in, dy, out_len, out, dw, scratch, pool);
    else weight_gradient<6>(bt6, gw5, atw5, samples, x, x_stride, in, dy, out_len, out, dw, scratch, pool);
}

bool winograd_applies(int kernel, int stride) { return stride == 1 && (kernel == 3 || kernel == 5); }

int winograd_points(int kernel) { return kernel == 3 ? 6 : 8; }

int winograd_tile(int kernel) { return winograd_points(kernel) - kernel + 1; }

int winograd_tiles(int out_len, int kernel, int dilation) {
    const int tile = winograd_tile(kernel);
    int tiles = 0;
    for (int phase = 0; phase < std::min(dilation, out_len); ++phase)
        tiles += ((out_len - phase + dilation - 1) / dilation + tile - 1) / tile;
    return tiles;
}

int winograd_rows(int out_len, int kernel, int dilation) {
    const int tile = winograd_tile(kernel);
    int rows = 0;
    for (int phase = 0; phase < std::min(dilation, out_len); ++phase) {
        const int outputs = (out_len - phase + dilation - 1) / dilation;
        rows = std::max(rows, phase + dilation * (tile * ((outputs + tile - 1) / tile) + kernel - 2) + 1);
    }
    return rows;
}

const double* winograd_g(int kernel) { return kernel == 3 ? &g3[0][0] : &g5[0][0]; }

void winograd_conv(const WinogradWeights& w, const float* x, int out_len, int dilation, const float* bias, float* y,
                   std::vector<float>& scratch) {
    if (w.kernel == 3) conv<6, 4>(bt6, at3, w, x, out_len, dilation, bias, y, scratch);
    else conv<8, 4>(bt8, at5, w, x, out_len, dilation, bias, y, scratch);
}

}  // namespace ser::nn
