#include "features/stft.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "features/framing.h"

namespace ser {
namespace {

// numpy's np.abs for complex64 (its SIMD loop, taken on every x86 with FMA and on ARM):
// not the correctly rounded modulus but larger * sqrt(fma(ratio, ratio, 1)) in float32.
// The two differ in the last bit for about one value in seven, and where a spectrum is
// flat (a frame holding a click or the first samples of a burst) that last bit decides
// which bins piptrack takes as peaks, and so the tuning estimate.
float numpy_complex64_abs(float re, float im) {
    const float a = std::fabs(re);
    const float b = std::fabs(im);
    const float larger = std::max(a, b);
    if (larger == 0.0f) return 0.0f;
    const float ratio = std::min(a, b) / larger;
    return std::sqrt(std::fma(ratio, ratio, 1.0f)) * larger;
}

}  // namespace

std::vector<double> make_window(WindowKind kind, int length) {
    std::vector<double> w(static_cast<std::size_t>(length), 1.0);
    if (kind == WindowKind::rectangular) return w;
    const double a0 = kind == WindowKind::hann ? 0.5 : 0.54;
    for (int i = 0; i < length; ++i)
        w[static_cast<std::size_t>(i)] = a0 - (1.0 - a0) * std::cos(2.0 * std::numbers::pi * i / length);
    return w;
}

Stft::Stft(const StftConfig& config)
    : config_(config),
      window_(make_window(config.window, config.win_length)),
      window_offset_((config.n_fft - config.win_length) / 2),
      fft_(static_cast<std::size_t>(config.n_fft / 2), false) {}

int Stft::frames_for(std::size_t n_samples) const {
    return frame_count(n_samples, config_.n_fft, config_.hop_length, config_.center);
}

void Stft::power(std::span<const float> pcm, Matrix& power, std::vector<float>* librosa_magnitude,
                 Scratch& scratch) const {
    const int frames = frames_for(pcm.size());
    const int bins = n_bins();
    const int half = config_.n_fft / 2;
    const int win = config_.win_length;
    power.resize(bins, frames);
    if (librosa_magnitude) librosa_magnitude->resize(static_cast<std::size_t>(bins) * static_cast<std::size_t>(frames));
    scratch.frame.resize(static_cast<std::size_t>(win));
    scratch.windowed.assign(static_cast<std::size_t>(config_.n_fft), 0.0);  // zeros outside the window stay
    scratch.fft_in.resize(static_cast<std::size_t>(half));
    scratch.fft_out.resize(static_cast<std::size_t>(half));
    scratch.spectra.resize(static_cast<std::size_t>(frames_per_block) * static_cast<std::size_t>(bins));
    scratch.block_power.resize(scratch.spectra.size());

    const std::int64_t centre_shift = config_.center ? half : 0;
    for (int t0 = 0; t0 < frames; t0 += frames_per_block) {
        const int block = std::min(frames_per_block, frames - t0);
        for (int b = 0; b < block; ++b) {
            const std::int64_t start =
                static_cast<std::int64_t>(t0 + b) * config_.hop_length - centre_shift + window_offset_;
            copy_padded(pcm, start, win, config_.pad_mode, scratch.frame.data());
            double* windowed = scratch.windowed.data() + window_offset_;
            for (int i = 0; i < win; ++i)
                windowed[i] = window_[static_cast<std::size_t>(i)] * scratch.frame[static_cast<std::size_t>(i)];
            for (int p = 0; p < half; ++p)
                scratch.fft_in[static_cast<std::size_t>(p)] = {scratch.windowed[2 * static_cast<std::size_t>(p)],
                                                               scratch.windowed[2 * static_cast<std::size_t>(p) + 1]};
            fft_.transform_real(&scratch.fft_in.data()->re, scratch.fft_out.data());

            // KissFFT packs X[0] and X[n_fft / 2] (both real) into its first output.
            KissComplex<double>* X = scratch.spectra.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(bins);
            X[0] = {scratch.fft_out[0].re, 0.0};
            X[half] = {scratch.fft_out[0].im, 0.0};
            std::copy(scratch.fft_out.begin() + 1, scratch.fft_out.end(), X + 1);
        }
        // Powers frame by frame (contiguous, so vectorised), then written row by row: contiguous
        // stores into the [bin][frame] layout.
        for (int b = 0; b < block; ++b) {
            const KissComplex<double>* X = scratch.spectra.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(bins);
            double* p = scratch.block_power.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(bins);
            for (int k = 0; k < bins; ++k) p[k] = X[k].re * X[k].re + X[k].im * X[k].im;
            if (librosa_magnitude) {
                float* m = librosa_magnitude->data() + static_cast<std::size_t>(t0 + b) * static_cast<std::size_t>(bins);
                for (int k = 0; k < bins; ++k)
                    m[k] = numpy_complex64_abs(static_cast<float>(X[k].re), static_cast<float>(X[k].im));
            }
        }
        for (int k = 0; k < bins; ++k) {
            double* out = power.row(k) + t0;
            for (int b = 0; b < block; ++b) out[b] = scratch.block_power[static_cast<std::size_t>(b) * static_cast<std::size_t>(bins) + static_cast<std::size_t>(k)];
        }
    }
}

}  // namespace ser
