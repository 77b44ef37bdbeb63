#include "features/chroma.h"

#include "features/dense.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ser {
namespace {

// librosa.filters.chroma's fixed shape: a Gaussian dominance window centred on octave 5
// (A0 = 27.5 Hz) with a half-width of 2 octaves, and chroma bin 0 on C.
constexpr double centre_octave = 5.0;
constexpr double octave_width = 2.0;

// piptrack's defaults as estimate_tuning calls it.
constexpr double pitch_fmin = 150.0;
constexpr double pitch_fmax = 4000.0;
constexpr float peak_threshold = 0.1f;
constexpr int histogram_bins = 100;  // resolution 0.01 of a bin

// Eight running maxima, then theirs: exact (max does not round), and vectorisable.
float column_max(const float* x, int n) {
    float lanes[8] = {};
    int i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j) lanes[j] = std::max(lanes[j], x[i + j]);
    float peak = 0.0f;
    for (; i < n; ++i) peak = std::max(peak, x[i]);
    for (float lane : lanes) peak = std::max(peak, lane);
    return peak;
}

// numpy.remainder for n > 0, through floor (fmod costs more than the whole rest of a column).
double floor_mod(double x, double n) {
    double r = x - n * std::floor(x / n);
    if (r >= n) r -= n;
    if (r < 0.0) r += n;
    return r;
}

}  // namespace

void chroma_filterbank(int sample_rate, int n_fft, int n_chroma, double tuning, Matrix& filterbank) {
    const int bins = n_fft / 2 + 1;
    const double a440 = 440.0 * std::pow(2.0, tuning / n_chroma);
    const double bin_hz = static_cast<double>(sample_rate) / n_fft;
    // Position of each FFT bin in chroma bins; bin 0 is placed 1.5 octaves below bin 1.
    std::vector<double> position(static_cast<std::size_t>(bins) + 1);
    for (int k = 1; k <= bins; ++k)
        position[static_cast<std::size_t>(k)] = n_chroma * std::log2((k * bin_hz) / (a440 / 16.0));
    position[0] = position[1] - 1.5 * n_chroma;

    const double half = std::nearbyint(n_chroma / 2.0);
    const int roll = 3 * (n_chroma / 12);
    filterbank.resize(n_chroma, bins);
    std::vector<double> column(static_cast<std::size_t>(n_chroma));
    for (int k = 0; k < bins; ++k) {
        const double p = position[static_cast<std::size_t>(k)];
        const double width = std::max(position[static_cast<std::size_t>(k) + 1] - p, 1.0);
        double sum_squares = 0.0;
        for (int c = 0; c < n_chroma; ++c) {
            const double d = floor_mod(p - c + half + 10.0 * n_chroma, n_chroma) - half;
            const double x = 2.0 * d / width;
            const double w = std::exp(-0.5 * x * x);
            column[static_cast<std::size_t>(c)] = w;
            sum_squares += w * w;
        }
        double length = std::sqrt(sum_squares);
        if (length < std::numeric_limits<double>::min()) length = 1.0;
        const double o = (p / n_chroma - centre_octave) / octave_width;
        const double octave_weight = std::exp(-0.5 * o * o);
        for (int c = 0; c < n_chroma; ++c) {
            const int row = ((c - roll) % n_chroma + n_chroma) % n_chroma;
            filterbank.at(row, k) = static_cast<float>(column[static_cast<std::size_t>(c)] / length * octave_weight);
        }
    }
}

double estimate_tuning(std::span<const float> spectrum, int bins, int frames, int sample_rate, int n_fft,
                       int bins_per_octave, TuningScratch& s) {
    const double fmax = std::min(pitch_fmax, sample_rate / 2.0);
    const double bin_hz = 1.0 / (n_fft * (1.0 / sample_rate));  // numpy.fft.rfftfreq
    s.masked.resize(static_cast<std::size_t>(bins));
    s.pitches.clear();
    s.magnitudes.clear();

    // Bins inside [fmin, fmax), found with the very products piptrack compares.
    int first = 1;
    while (first < bins && first * bin_hz < pitch_fmin) ++first;
    int last = first;  // one past
    while (last < bins && last * bin_hz < fmax) ++last;
    // At most every other bin of a frame is a local maximum: reserving that keeps a reused
    // scratch from allocating again.
    const auto most = static_cast<std::size_t>(frames) * static_cast<std::size_t>((last - first) / 2 + 1);
    s.pitches.reserve(most);
    s.magnitudes.reserve(most);
    s.ranked.reserve(most);

    for (int t = 0; t < frames; ++t) {
        const float* x = spectrum.data() + static_cast<std::size_t>(t) * static_cast<std::size_t>(bins);
        const float ref = peak_threshold * column_max(x, bins);
        // Thresholded spectrum, needed on [first - 1, last]: the candidates and their neighbours.
        float* m = s.masked.data();
        const int masked_end = std::min(bins, last + 1);
        for (int k = first - 1; k < masked_end; ++k) m[k] = x[k] > ref ? x[k] : 0.0f;

        for (int k = first; k < last; ++k) {
            const bool local_max = k == bins - 1 ? m[k] > m[k - 1] : (m[k] > m[k - 1] && m[k] >= m[k + 1]);
            if (!local_max) continue;
            // Parabolic interpolation (numba stencil: float32 sums promoted to float64 by the
            // integer 2) and numpy.gradient (float32), as piptrack evaluates them.
            float shift = 0.0f;
            float slope = 0.0f;
            if (k == bins - 1) {
                slope = x[k] - x[k - 1];
            } else {
                const double a = static_cast<double>(x[k + 1] + x[k - 1]) - 2.0 * static_cast<double>(x[k]);
                const double b = static_cast<double>(x[k + 1] - x[k - 1]) / 2.0;
                shift = std::fabs(b) >= std::fabs(a) ? 0.0f : static_cast<float>(-b / a);
                slope = (x[k + 1] - x[k - 1]) / 2.0f;
            }
            const float skew = 0.5f * slope * shift;
            s.pitches.push_back(static_cast<float>((k + static_cast<double>(shift)) * static_cast<double>(sample_rate) / n_fft));
            s.magnitudes.push_back(x[k] + skew);
        }
    }

    // Keep the candidates at or above the median magnitude (numpy.median in float32).
    s.ranked.clear();
    for (std::size_t i = 0; i < s.pitches.size(); ++i)
        if (s.pitches[i] > 0.0f) s.ranked.push_back(s.magnitudes[i]);
    if (s.ranked.empty()) return 0.0;
    const std::size_t n = s.ranked.size();
    std::nth_element(s.ranked.begin(), s.ranked.begin() + static_cast<std::ptrdiff_t>(n / 2), s.ranked.end());
    float median = s.ranked[n / 2];
    if (n % 2 == 0) {
        const float below = *std::max_element(s.ranked.begin(), s.ranked.begin() + static_cast<std::ptrdiff_t>(n / 2));
        median = (below + median) / 2.0f;
    }

    // Histogram of the residuals to the nearest semitone, edges numpy.linspace(-0.5, 0.5, 101).
    s.counts.assign(histogram_bins, 0);
    auto edge = [](int i) { return i == histogram_bins ? 0.5 : i * (1.0 / histogram_bins) + -0.5; };
    bool any = false;
    for (std::size_t i = 0; i < s.pitches.size(); ++i) {
        if (!(s.pitches[i] > 0.0f) || !(s.magnitudes[i] >= median)) continue;
        const float ratio = s.pitches[i] / 27.5f;
        const auto octaves = static_cast<float>(std::log2(static_cast<double>(ratio)));
        const float scaled = static_cast<float>(bins_per_octave) * octaves;
        float residual = scaled - std::floor(scaled);
        if (residual >= 0.5f) residual -= 1.0f;
        const double r = residual;
        int bin = static_cast<int>(std::floor((r + 0.5) * histogram_bins));
        bin = std::clamp(bin, 0, histogram_bins - 1);
        // Settle the edges exactly as numpy's searchsorted on the float64 edges does.
        while (bin > 0 && r < edge(bin)) --bin;
        while (bin + 1 < histogram_bins && r >= edge(bin + 1)) ++bin;
        if (r < edge(0) || r > edge(histogram_bins)) continue;
        ++s.counts[static_cast<std::size_t>(bin)];
        any = true;
    }
    if (!any) return 0.0;
    const auto best = std::max_element(s.counts.begin(), s.counts.end()) - s.counts.begin();
    return edge(static_cast<int>(best));
}

void apply_chroma(const Matrix& filterbank, const Matrix& spectrum, bool normalize, Matrix& chroma) {
    const int frames = spectrum.cols;
    multiply(filterbank, spectrum, chroma);
    if (!normalize) return;
    for (int t = 0; t < frames; ++t) {
        double peak = 0.0;
        for (int c = 0; c < chroma.rows; ++c) peak = std::max(peak, std::fabs(chroma.at(c, t)));
        if (peak < static_cast<double>(std::numeric_limits<float>::min())) continue;
        for (int c = 0; c < chroma.rows; ++c) chroma.at(c, t) /= peak;
    }
}

}  // namespace ser
