#pragma once
// librosa.power_to_db, with a choice of the span the top_db floor is measured over: the
// whole input (librosa's, so a clip's quiet frames depend on its loudest one) or each frame
// on its own (so a live window's features depend only on the audio inside it).

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

// db[r][t] = 10 log10(max(amin, power[r][t])) - 10 log10(max(amin, ref)), then raised to
// (span maximum - top_db) when top_db is set.
void power_to_db(const Matrix& power, const DbConfig& config, Matrix& db);

}  // namespace ser
