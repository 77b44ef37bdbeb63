#pragma once
// Short-time power spectrum through KissFFT (its C++ header, built on a plain complex type:
// see src/features/CMakeLists.txt), in double precision: librosa computes its STFT in double
// too, then rounds it to complex64.

#include <span>
#include <vector>

#include "ser/kissfft_plain.hh"

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

// The periodic window of `length` points, as scipy.signal.get_window(kind, length, fftbins=True).
std::vector<double> make_window(WindowKind kind, int length);

class Stft {
public:
    struct Scratch {
        std::vector<float> frame;
        std::vector<double> windowed;
        std::vector<KissComplex<double>> fft_in;  // windowed samples in pairs, as transform_real reads them
        std::vector<KissComplex<double>> fft_out;
        std::vector<KissComplex<double>> spectra;  // a block of frames' spectra, frame-major
        std::vector<double> block_power;
    };

    explicit Stft(const StftConfig& config);

    int n_bins() const { return config_.n_fft / 2 + 1; }
    int frames_for(std::size_t n_samples) const;

    // power = |X|^2 as [bin][frame]. When librosa_magnitude is given it also gets |X| as
    // librosa holds it (real and imaginary parts rounded to float32, then numpy's float32
    // modulus), laid out [frame][bin] as the tuning estimator, which needs librosa's exact
    // values, reads it.
    void power(std::span<const float> pcm, Matrix& power, std::vector<float>* librosa_magnitude,
               Scratch& scratch) const;

private:
    static constexpr int frames_per_block = 8;

    StftConfig config_;
    std::vector<double> window_;
    int window_offset_;
    kissfft<double> fft_;
};

}  // namespace ser
