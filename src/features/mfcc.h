#pragma once
// MFCC as librosa.feature.mfcc computes them from log-mel frames: a DCT-II along the mel
// axis (scipy's "ortho" or unnormalised), keeping the first n_mfcc, then the optional
// sinusoidal lifter (folded into the DCT matrix here).

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

class MfccTransform {
public:
    MfccTransform(const MfccConfig& config, int n_mels);

    int n_mfcc() const { return matrix_.rows; }

    // mfcc[k][t] = sum over m of D[k][m] * mel_db[m][t] (features/dense.h).
    void apply(const Matrix& mel_db, Matrix& mfcc) const;

private:
    Matrix matrix_;  // [n_mfcc][n_mels]
};

}  // namespace ser
