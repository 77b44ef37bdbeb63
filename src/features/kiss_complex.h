#pragma once
// The complex type KissFFT runs on in ser (see src/features/CMakeLists.txt): plain
// (re, im) arithmetic. std::complex's multiply carries C99 Annex G recovery of NaN
// operands, which we never have (non-finite input is rejected before the FFT) and which
// made KissFFT 3-5 times slower under Emscripten's libc++. For finite values every result
// is the same: (a + bi)(c + di) = (ac - bd) + (ad + bc)i, evaluated in that order.

#include <cmath>

namespace ser {

template <class T>
struct KissComplex {
    T re{};
    T im{};

    KissComplex() = default;
    KissComplex(T real_part, T imag_part = T{}) : re(real_part), im(imag_part) {}

    T real() const { return re; }
    T imag() const { return im; }
    void real(T v) { re = v; }
    void imag(T v) { im = v; }

    KissComplex& operator+=(const KissComplex& o) {
        re += o.re;
        im += o.im;
        return *this;
    }
    KissComplex& operator-=(const KissComplex& o) {
        re -= o.re;
        im -= o.im;
        return *this;
    }
    KissComplex& operator*=(T s) {
        re *= s;
        im *= s;
        return *this;
    }
};

template <class T>
KissComplex<T> operator+(const KissComplex<T>& a, const KissComplex<T>& b) { return {a.re + b.re, a.im + b.im}; }
template <class T>
KissComplex<T> operator-(const KissComplex<T>& a, const KissComplex<T>& b) { return {a.re - b.re, a.im - b.im}; }
template <class T>
KissComplex<T> operator*(const KissComplex<T>& a, const KissComplex<T>& b) {
    return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <class T>
KissComplex<T> operator*(const KissComplex<T>& a, T s) { return {a.re * s, a.im * s}; }
template <class T>
KissComplex<T> operator*(T s, const KissComplex<T>& a) { return {s * a.re, s * a.im}; }

template <class T>
KissComplex<T> kiss_conj(const KissComplex<T>& a) { return {a.re, -a.im}; }

// exp(z) for the purely imaginary arguments KissFFT builds its twiddles from (and in
// general): e^re (cos im + i sin im).
template <class T>
KissComplex<T> kiss_exp(const KissComplex<T>& z) {
    const T scale = std::exp(z.re);
    return {scale * std::cos(z.im), scale * std::sin(z.im)};
}

}  // namespace ser
