#pragma once
// The mel filterbank exactly as librosa.filters.mel builds it (including its float32
// weights), stored sparsely: each band touches only the FFT bins under its triangle.

#include <vector>

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

double hz_to_mel(double hz, MelScale scale);
double mel_to_hz(double mel, MelScale scale);

class MelFilterbank {
public:
    MelFilterbank(const MelConfig& config, int sample_rate, int n_fft);

    int n_mels() const { return static_cast<int>(bands_.size()); }
    int n_bins() const { return n_bins_; }

    // Row m over all n_bins() FFT bins (zeros outside the band), for tests and inspection.
    std::vector<double> dense_row(int m) const;

    // mel[m][t] = sum over k of w[m][k] * spectrum[k][t], summed in increasing k.
    void apply(const Matrix& spectrum, Matrix& mel) const;

private:
    struct Band {
        int first_bin = 0;
        std::vector<double> weights;
    };
    std::vector<Band> bands_;
    int n_bins_;
};

}  // namespace ser
