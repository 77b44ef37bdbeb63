#pragma once
// The one portable vector layer every kernel is written on. The widest instruction set the
// compiler targets is chosen at compile time: AVX-512, AVX2+FMA, SSE2, WASM SIMD128, or a
// one-lane scalar fallback. Kernels use only what is declared here, so they read the same
// on every target.

#include <cstddef>

// Exactly one SER_SIMD_USE_* is chosen; SER_SIMD_SCALAR forces the scalar one (the
// benchmark builds the same kernels that way to measure what SIMD buys).
#if defined(SER_SIMD_SCALAR)
#define SER_SIMD_USE_SCALAR 1
#define SER_SIMD_NAME "scalar"
#elif defined(__AVX512F__)
#include <immintrin.h>
#define SER_SIMD_USE_AVX512 1
#define SER_SIMD_NAME "avx512"
#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define SER_SIMD_USE_AVX2 1
#define SER_SIMD_NAME "avx2+fma"
#elif defined(__SSE2__)
#include <immintrin.h>
#define SER_SIMD_USE_SSE2 1
#define SER_SIMD_NAME "sse2"
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define SER_SIMD_USE_WASM 1
#define SER_SIMD_NAME "wasm-simd128"
#else
#define SER_SIMD_USE_SCALAR 1
#define SER_SIMD_NAME "scalar"
#endif

namespace ser::simd {

#if SER_SIMD_USE_AVX512
struct vf { __m512 v; };
inline constexpr int width = 16;
inline vf zero() { return {_mm512_setzero_ps()}; }
inline vf set1(float x) { return {_mm512_set1_ps(x)}; }
inline vf broadcast(const float* p) { return {_mm512_set1_ps(*p)}; }
inline vf load(const float* p) { return {_mm512_loadu_ps(p)}; }
inline void store(float* p, vf a) { _mm512_storeu_ps(p, a.v); }
inline vf add(vf a, vf b) { return {_mm512_add_ps(a.v, b.v)}; }
inline vf sub(vf a, vf b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline vf mul(vf a, vf b) { return {_mm512_mul_ps(a.v, b.v)}; }
// The masked form: the plain one trips GCC 12's maybe-uninitialized warning inside the header.
inline vf max(vf a, vf b) { return {_mm512_mask_max_ps(a.v, static_cast<__mmask16>(0xffff), a.v, b.v)}; }
inline vf fma(vf a, vf b, vf c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }  // a*b + c
// Lane-wise x > y ? a : b.
inline vf where_greater(vf x, vf y, vf a, vf b) { return {_mm512_mask_blend_ps(_mm512_cmp_ps_mask(x.v, y.v, _CMP_GT_OQ), b.v, a.v)}; }
#elif SER_SIMD_USE_AVX2
struct vf { __m256 v; };
inline constexpr int width = 8;
inline vf zero() { return {_mm256_setzero_ps()}; }
inline vf set1(float x) { return {_mm256_set1_ps(x)}; }
inline vf broadcast(const float* p) { return {_mm256_broadcast_ss(p)}; }
inline vf load(const float* p) { return {_mm256_loadu_ps(p)}; }
inline void store(float* p, vf a) { _mm256_storeu_ps(p, a.v); }
inline vf add(vf a, vf b) { return {_mm256_add_ps(a.v, b.v)}; }
inline vf sub(vf a, vf b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline vf mul(vf a, vf b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline vf max(vf a, vf b) { return {_mm256_max_ps(a.v, b.v)}; }
inline vf fma(vf a, vf b, vf c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline vf where_greater(vf x, vf y, vf a, vf b) { return {_mm256_blendv_ps(b.v, a.v, _mm256_cmp_ps(x.v, y.v, _CMP_GT_OQ))}; }
#elif SER_SIMD_USE_SSE2
struct vf { __m128 v; };
inline constexpr int width = 4;
inline vf zero() { return {_mm_setzero_ps()}; }
inline vf set1(float x) { return {_mm_set1_ps(x)}; }
inline vf broadcast(const float* p) { return {_mm_set1_ps(*p)}; }
inline vf load(const float* p) { return {_mm_loadu_ps(p)}; }
inline void store(float* p, vf a) { _mm_storeu_ps(p, a.v); }
inline vf add(vf a, vf b) { return {_mm_add_ps(a.v, b.v)}; }
inline vf sub(vf a, vf b) { return {_mm_sub_ps(a.v, b.v)}; }
inline vf mul(vf a, vf b) { return {_mm_mul_ps(a.v, b.v)}; }
inline vf max(vf a, vf b) { return {_mm_max_ps(a.v, b.v)}; }
inline vf fma(vf a, vf b, vf c) { return {_mm_add_ps(_mm_mul_ps(a.v, b.v), c.v)}; }
inline vf where_greater(vf x, vf y, vf a, vf b) {
    const __m128 m = _mm_cmpgt_ps(x.v, y.v);
    return {_mm_or_ps(_mm_and_ps(m, a.v), _mm_andnot_ps(m, b.v))};
}
#elif SER_SIMD_USE_WASM
struct vf { v128_t v; };
inline constexpr int width = 4;
inline vf zero() { return {wasm_f32x4_splat(0.0f)}; }
inline vf set1(float x) { return {wasm_f32x4_splat(x)}; }
inline vf broadcast(const float* p) { return {wasm_v128_load32_splat(p)}; }
inline vf load(const float* p) { return {wasm_v128_load(p)}; }
inline void store(float* p, vf a) { wasm_v128_store(p, a.v); }
inline vf add(vf a, vf b) { return {wasm_f32x4_add(a.v, b.v)}; }
inline vf sub(vf a, vf b) { return {wasm_f32x4_sub(a.v, b.v)}; }
inline vf mul(vf a, vf b) { return {wasm_f32x4_mul(a.v, b.v)}; }
// pmax, not max: it maps to one x86 instruction; NaN never reaches kernels (inputs are checked).
inline vf max(vf a, vf b) { return {wasm_f32x4_pmax(a.v, b.v)}; }
// Debian's clang 14 encodes relaxed-SIMD FMA with a pre-standard opcode that current
// engines reject, so WASM multiplies and adds separately.
inline vf fma(vf a, vf b, vf c) { return {wasm_f32x4_add(wasm_f32x4_mul(a.v, b.v), c.v)}; }
inline vf where_greater(vf x, vf y, vf a, vf b) { return {wasm_v128_bitselect(a.v, b.v, wasm_f32x4_gt(x.v, y.v))}; }
#else
struct vf { float v; };
inline constexpr int width = 1;
inline vf zero() { return {0.0f}; }
inline vf set1(float x) { return {x}; }
inline vf broadcast(const float* p) { return {*p}; }
inline vf load(const float* p) { return {*p}; }
inline void store(float* p, vf a) { *p = a.v; }
inline vf add(vf a, vf b) { return {a.v + b.v}; }
inline vf sub(vf a, vf b) { return {a.v - b.v}; }
inline vf mul(vf a, vf b) { return {a.v * b.v}; }
inline vf max(vf a, vf b) { return {a.v > b.v ? a.v : b.v}; }
inline vf fma(vf a, vf b, vf c) { return {a.v * b.v + c.v}; }
inline vf where_greater(vf x, vf y, vf a, vf b) { return {x.v > y.v ? a.v : b.v}; }
#endif

inline constexpr const char* name = SER_SIMD_NAME;

}  // namespace ser::simd
