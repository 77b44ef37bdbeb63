#pragma once
// Reading the librosa 0.11 references in ../shared/golden and comparing against them.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "features/feature_config.h"
#include "features/feature_matrix.h"

namespace ser::test {

inline const std::vector<std::string> golden_names = {
    "chirp.librosa22k", "chirp.speech16k", "ravdess_03-01-05-01-01-01-01.librosa22k",
    "ravdess_03-01-05-01-01-01-01.speech16k"};

nlohmann::json load_golden(const std::string& name);
std::vector<float> golden_samples(const nlohmann::json& golden);

// The FeatureConfig a golden file was made with: the `librosa` preset for librosa22k, the
// stored tests/features/data/speech16k.json for speech16k. Checked against the file's own
// "config" block so a mismatch is reported, not silently tested.
FeatureConfig golden_config(const nlohmann::json& golden);

// Largest error of `actual` against a golden [bin][frame] array.
struct Errors {
    double max_abs = 0.0;
    double max_rel = 0.0;  // |a - e| / |e| over entries with |e| > 0
    int worst_row = -1, worst_col = -1;
};
Errors compare(const FeatureMatrix& actual, const nlohmann::json& expected);
std::vector<std::vector<double>> as_rows(const nlohmann::json& array);

}  // namespace ser::test
