#pragma once
// The one dense product the features need (DCT for MFCC, chroma filterbank):
// out[i][t] = sum over j of a[i][j] * in[j][t], each sum taken in increasing j. Blocked so
// that a tile of sums stays in registers; the order of every sum is fixed regardless of the
// tiling, so one frame computed alone equals the same frame computed in a batch.

#include "features/matrix.h"

namespace ser {

void multiply(const Matrix& a, const Matrix& in, Matrix& out);

}  // namespace ser
