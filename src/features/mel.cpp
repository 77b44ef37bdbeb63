#include "features/mel.h"

#include <algorithm>
#include <cmath>

namespace ser {
namespace {

// Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above.
constexpr double slaney_hz_per_mel = 200.0 / 3.0;
constexpr double slaney_break_hz = 1000.0;
constexpr double slaney_break_mel = slaney_break_hz / slaney_hz_per_mel;
const double slaney_log_step = std::log(6.4) / 27.0;

}  // namespace

double hz_to_mel(double hz, MelScale scale) {
    if (scale == MelScale::htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz >= slaney_break_hz) return slaney_break_mel + std::log(hz / slaney_break_hz) / slaney_log_step;
    return hz / slaney_hz_per_mel;
}

double mel_to_hz(double mel, MelScale scale) {
    if (scale == MelScale::htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= slaney_break_mel) return slaney_break_hz * std::exp(slaney_log_step * (mel - slaney_break_mel));
    return slaney_hz_per_mel * mel;
}

MelFilterbank::MelFilterbank(const MelConfig& config, int sample_rate, int n_fft) : n_bins_(n_fft / 2 + 1) {
    const int n_mels = config.n_mels;
    const double fmax = config.fmax.value_or(sample_rate / 2.0);

    // Band edges: n_mels + 2 points evenly spaced in mel (numpy.linspace, last point exact).
    const double min_mel = hz_to_mel(config.fmin, config.scale);
    const double max_mel = hz_to_mel(fmax, config.scale);
    std::vector<double> edges(static_cast<std::size_t>(n_mels) + 2);
    const double step = (max_mel - min_mel) / (n_mels + 1);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const double mel = i + 1 == edges.size() ? max_mel : static_cast<double>(i) * step + min_mel;
        edges[i] = mel_to_hz(mel, config.scale);
    }

    // numpy.fft.rfftfreq's bin frequencies, computed as it does.
    const double bin_hz = 1.0 / (n_fft * (1.0 / sample_rate));
    bands_.resize(static_cast<std::size_t>(n_mels));
    for (int m = 0; m < n_mels; ++m) {
        const double lo = edges[static_cast<std::size_t>(m)];
        const double mid = edges[static_cast<std::size_t>(m) + 1];
        const double hi = edges[static_cast<std::size_t>(m) + 2];
        const double slaney_norm = 2.0 / (hi - lo);
        Band& band = bands_[static_cast<std::size_t>(m)];
        int first = -1;
        int last = -1;
        std::vector<double> weights(static_cast<std::size_t>(n_bins_), 0.0);
        for (int k = 0; k < n_bins_; ++k) {
            const double f = k * bin_hz;
            const double lower = -(lo - f) / (mid - lo);
            const double upper = (hi - f) / (hi - mid);
            // librosa stores the triangle in float32, then scales it in double and rounds again.
            double w = static_cast<float>(std::max(0.0, std::min(lower, upper)));
            if (config.norm == MelNorm::slaney) w = static_cast<float>(w * slaney_norm);
            weights[static_cast<std::size_t>(k)] = w;
            if (w != 0.0) {
                if (first < 0) first = k;
                last = k;
            }
        }
        if (first < 0) continue;  // an empty band (too many mels for n_fft) stays all zero, as librosa's
        band.first_bin = first;
        band.weights.assign(weights.begin() + first, weights.begin() + last + 1);
    }
}

std::vector<double> MelFilterbank::dense_row(int m) const {
    std::vector<double> row(static_cast<std::size_t>(n_bins_), 0.0);
    const Band& band = bands_[static_cast<std::size_t>(m)];
    std::copy(band.weights.begin(), band.weights.end(), row.begin() + band.first_bin);
    return row;
}

void MelFilterbank::apply(const Matrix& spectrum, Matrix& mel) const {
    const int frames = spectrum.cols;
    mel.resize(n_mels(), frames);
    std::fill(mel.values.begin(), mel.values.end(), 0.0);
    for (int m = 0; m < n_mels(); ++m) {
        const Band& band = bands_[static_cast<std::size_t>(m)];
        double* out = mel.row(m);
        for (std::size_t j = 0; j < band.weights.size(); ++j) {
            const double w = band.weights[j];
            const double* in = spectrum.row(band.first_bin + static_cast<int>(j));
            for (int t = 0; t < frames; ++t) out[t] += w * in[t];
        }
    }
}

}  // namespace ser
