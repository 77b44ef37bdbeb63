#pragma once
// Chroma as librosa.feature.chroma_stft computes it: its filterbank (librosa.filters.chroma),
// its tuning estimate (estimate_tuning over piptrack's peaks), and per-frame max
// normalisation.
//
// The tuning estimate is a histogram peak over thousands of pitch candidates, so a single
// comparison that goes the other way can move it by a cent: estimate_tuning therefore
// repeats librosa's arithmetic in the precision librosa uses (float32 spectrum, numba's
// float64 stencil, float32 residuals), not just its formulas.

#include <span>
#include <vector>

#include "features/matrix.h"

namespace ser {

// [n_chroma][n_fft / 2 + 1], rounded to float32 as librosa returns it. Tuning in bins.
void chroma_filterbank(int sample_rate, int n_fft, int n_chroma, double tuning, Matrix& filterbank);

struct TuningScratch {
    std::vector<float> masked;
    std::vector<float> pitches;
    std::vector<float> magnitudes;
    std::vector<float> ranked;
    std::vector<int> counts;
};

// librosa.estimate_tuning(S=spectrum, sr, bins_per_octave) for a float32 spectrum laid out
// [frame][bin] (power or magnitude, as the caller's chroma uses). Returns a multiple of 0.01
// in [-0.5, 0.5), computed as numpy computes its histogram edges.
double estimate_tuning(std::span<const float> spectrum, int bins, int frames, int sample_rate, int n_fft,
                       int bins_per_octave, TuningScratch& scratch);

// chroma[c][t] = sum over k of filterbank[c][k] * spectrum[k][t]; then, when normalize,
// each frame divided by its maximum (frames whose maximum is below float32's smallest
// normal number are left as they are, as librosa.util.normalize does).
void apply_chroma(const Matrix& filterbank, const Matrix& spectrum, bool normalize, Matrix& chroma);

}  // namespace ser
