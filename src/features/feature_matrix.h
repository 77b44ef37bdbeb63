#pragma once
// What the feature code hands out: float values, row-major [row][column]. For per-frame
// features rows are bins (or channels) and columns are frames.

#include <vector>

namespace ser {

struct FeatureMatrix {
    int rows = 0;
    int cols = 0;
    std::vector<float> values;

    float at(int row, int col) const { return values[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(col)]; }
};

}  // namespace ser
