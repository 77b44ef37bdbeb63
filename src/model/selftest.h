#pragma once
// The selftest a model file carries: computed at export, re-run at every load (natively and
// in WebAssembly), so a build that would compute different features or logits than the one
// that exported the model refuses it instead of giving wrong answers.

#include "model/model.h"

namespace ser {

// Runs the network on a seeded input and the whole pipeline on a chirp.
Selftest compute_selftest(const Model& model);

// Re-runs the model's selftest; throws ModelError saying which stage differs and by how much.
void verify_selftest(const Model& model);

// Allowed differences (see docs/MODEL_FORMAT.md): relative to the larger of 1 and the
// largest expected logit; features relative to each value plus a floor of the matrix scale.
inline constexpr double selftest_network_tolerance = 1e-4;
inline constexpr double selftest_feature_tolerance = 1e-4;
inline constexpr double selftest_pipeline_tolerance = 1e-3;

}  // namespace ser
