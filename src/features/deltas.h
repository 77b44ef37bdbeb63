#pragma once
// librosa.feature.delta: a Savitzky-Golay derivative along time (polyorder = order), with
// scipy's mode="interp" at the edges: the first and last width / 2 frames take the
// derivative of the polynomial fitted to the first or last full window.

#include "features/matrix.h"

namespace ser {

// Throws std::invalid_argument when the input has fewer frames than width (as librosa).
void delta(const Matrix& in, int width, int order, Matrix& out);

}  // namespace ser
