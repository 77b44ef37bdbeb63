#pragma once
// The normalisation statistics a model is trained with (applied by model/model_input.h).

#include <cstdint>
#include <span>
#include <vector>

#include "features/feature_matrix.h"
#include "model/model.h"

namespace ser {

// Statistics of the inputs a network will see, for Normalisation::mean/std. Each input is
// [channels][time]: frame features get one mean/std per channel (over all frames); a pooled
// input ([1][dims]) gets one per element. per_utterance subtracts each input's own channel
// means first, as inference will. A value with (near) zero spread gets std 1.
Normalisation fit_normalisation(const std::vector<std::span<const float>>& inputs, int channels, int time,
                                bool pooled, bool per_utterance);

}  // namespace ser
