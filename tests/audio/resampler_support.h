#pragma once
// Measuring a resampler's output: the amplitude of a known tone, and what is left after it.

#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

namespace ser::test {

inline std::vector<float> tone(double hz, int rate, std::size_t n, double amplitude = 0.5, double phase = 0.0) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate + phase));
    return x;
}

struct ToneFit {
    double amplitude = 0.0;
    double phase = 0.0;          // of sin(2 pi f t + phase)
    double residual_rms = 0.0;   // what the tone does not explain
};

// Least-squares fit of a sinusoid of known frequency over y[first, last).
inline ToneFit fit_tone(const std::vector<float>& y, double hz, int rate, std::size_t first, std::size_t last) {
    double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
    for (std::size_t i = first; i < last; ++i) {
        const double w = 2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate;
        const double s = std::sin(w), c = std::cos(w);
        ss += s * s;
        cc += c * c;
        sc += s * c;
        ys += y[i] * s;
        yc += y[i] * c;
    }
    const double det = ss * cc - sc * sc;
    const double a = (ys * cc - yc * sc) / det;  // sin coefficient
    const double b = (yc * ss - ys * sc) / det;  // cos coefficient
    ToneFit fit;
    fit.amplitude = std::hypot(a, b);
    fit.phase = std::atan2(b, a);
    double r = 0.0;
    for (std::size_t i = first; i < last; ++i) {
        const double w = 2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate;
        const double e = y[i] - a * std::sin(w) - b * std::cos(w);
        r += e * e;
    }
    fit.residual_rms = std::sqrt(r / static_cast<double>(last - first));
    return fit;
}

inline double rms(const std::vector<float>& y, std::size_t first, std::size_t last) {
    double r = 0.0;
    for (std::size_t i = first; i < last; ++i) r += static_cast<double>(y[i]) * y[i];
    return std::sqrt(r / static_cast<double>(last - first));
}

inline double db(double ratio) { return 20.0 * std::log10(ratio); }

}  // namespace ser::test
