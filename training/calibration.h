#pragma once
// Calibration: how far a model's confidence is from its accuracy (expected calibration
// error), and the one-parameter fix (temperature scaling, Guo et al. 2017) fitted on
// held-out logits. Scores are row-major [examples][classes].

#include <span>
#include <vector>

namespace ser {

inline constexpr int default_ece_bins = 15;

// ECE = sum over bins of (bin size / n) * |accuracy(bin) - mean confidence(bin)|, where the
// confidence is the top probability and bin b holds confidences in (b/bins, (b+1)/bins]
// (0 goes to the first bin). Throws std::invalid_argument for non-finite values, rows that
// do not sum to 1 (within 1e-3; pass probabilities, not logits), or mismatched sizes.
double expected_calibration_error(std::span<const float> probabilities, int classes, std::span<const int> truth,
                                  int bins = default_ece_bins);

// The sums the ECE is made of, per bin: so that the ECE over several folds' examples can be
// computed from each fold's bins (cross-validation run fold by fold, then merged).
struct CalibrationBins {
    std::vector<double> confidence_sum, hits, count;

    void merge(const CalibrationBins& other);  // adds; the same bin count required
    double ece() const;                        // 0 without examples
};
// Same checks as expected_calibration_error.
CalibrationBins calibration_bins(std::span<const float> probabilities, int classes, std::span<const int> truth,
                                 int bins = default_ece_bins);

// softmax(logits / temperature) per row.
std::vector<float> softmax_with_temperature(std::span<const float> logits, int classes, double temperature);

// Mean negative log-likelihood of the true classes under softmax(logits / temperature).
double mean_nll(std::span<const float> logits, int classes, std::span<const int> truth, double temperature);

struct TemperatureFit {
    double temperature = 1.0;  // within [0.05, 20]
    double nll_before = 0.0;   // at temperature 1
    double nll_after = 0.0;
};

// The temperature minimising mean_nll on held-out logits. The NLL is convex in
// 1/temperature, so a bisection on the sign of its derivative finds the minimum.
TemperatureFit fit_temperature(std::span<const float> logits, int classes, std::span<const int> truth);

}  // namespace ser
