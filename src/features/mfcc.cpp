#include "features/mfcc.h"

#include "features/dense.h"

#include <cmath>
#include <numbers>

namespace ser {

MfccTransform::MfccTransform(const MfccConfig& config, int n_mels) {
    matrix_.resize(config.n_mfcc, n_mels);
    const double n = n_mels;
    for (int k = 0; k < config.n_mfcc; ++k) {
        double scale = 2.0;  // scipy.fftpack.dct type II without normalisation
        if (config.ortho) scale = k == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
        if (config.lifter > 0.0)
            scale *= 1.0 + (config.lifter / 2.0) * std::sin(std::numbers::pi * (k + 1) / config.lifter);
        for (int m = 0; m < n_mels; ++m)
            matrix_.at(k, m) = scale * std::cos(std::numbers::pi * k * (2.0 * m + 1.0) / (2.0 * n));
    }
}

void MfccTransform::apply(const Matrix& mel_db, Matrix& mfcc) const { multiply(matrix_, mel_db, mfcc); }

}  // namespace ser
