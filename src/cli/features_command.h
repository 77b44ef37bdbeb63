#pragma once
// `ser features FILE [--preset librosa|default|CONFIG.json] [--format json|csv]`: decode,
// resample to the preset's rate, print every named feature and the 162-dim utterance vector.

#include <CLI/CLI.hpp>

namespace ser::cli {

void add_features_command(CLI::App& app);

}  // namespace ser::cli
