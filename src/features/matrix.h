#pragma once
// The row-major [row][column] buffer the feature stages pass between them, in double
// precision: rows are bins or coefficients, columns are frames.

#include <cstddef>
#include <vector>

namespace ser {

struct Matrix {
    int rows = 0;
    int cols = 0;
    std::vector<double> values;

    // Keeps the capacity, so a workspace reused for the same length never allocates again.
    void resize(int new_rows, int new_cols) {
        rows = new_rows;
        cols = new_cols;
        values.resize(static_cast<std::size_t>(new_rows) * static_cast<std::size_t>(new_cols));
    }
    double* row(int r) { return values.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols); }
    const double* row(int r) const {
        return values.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols);
    }
    double& at(int r, int c) { return row(r)[c]; }
    double at(int r, int c) const { return row(r)[c]; }
};

}  // namespace ser
