#include "features/deltas.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace ser {

void delta(const Matrix& in, int width, int order, Matrix& out) {
    const int frames = in.cols;
    if (frames < width) {
        throw std::invalid_argument("deltas need at least deltas.width = " + std::to_string(width) +
                                    " frames, the input has " + std::to_string(frames) +
                                    " (use a longer input or a smaller width)");
    }
    const int half = width / 2;
    // Least-squares derivative weights: order 1 is the slope of the fitted line, order 2 the
    // second derivative (2 c) of the fitted parabola a + b j + c j^2.
    double s2 = 0.0;
    double s4 = 0.0;
    for (int j = -half; j <= half; ++j) {
        s2 += static_cast<double>(j) * j;
        s4 += static_cast<double>(j) * j * j * j;
    }
    std::vector<double> weights(static_cast<std::size_t>(width));
    for (int j = -half; j <= half; ++j) {
        weights[static_cast<std::size_t>(j + half)] =
            order == 1 ? j / s2 : 2.0 * (static_cast<double>(j) * j - s2 / width) / (s4 - s2 * s2 / width);
    }

    out.resize(in.rows, frames);
    for (int r = 0; r < in.rows; ++r) {
        const double* x = in.row(r);
        double* y = out.row(r);
        for (int t = half; t < frames - half; ++t) {
            double sum = 0.0;
            for (int j = 0; j < width; ++j) sum += weights[static_cast<std::size_t>(j)] * x[t - half + j];
            y[t] = sum;
        }
        // The fitted polynomial's order-th derivative is constant over its window.
        for (int t = 0; t < half; ++t) y[t] = y[half];
        for (int t = frames - half; t < frames; ++t) y[t] = y[frames - half - 1];
    }
}

}  // namespace ser
