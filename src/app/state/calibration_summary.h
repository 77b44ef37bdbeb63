#pragma once
// What an adaptation in the page answered, as the calibration worker sends it to the
// interface module: the leave-one-out numbers adapt_model() computed on the person's own
// clips (before / after), the per-clip predictions behind them, its warnings and its time.
// Written in the worker and read in the interface module, so both directions live here.

#include <string>
#include <string_view>
#include <vector>

#include "model/adapt.h"

namespace ser::app {

struct CalibrationSummary {
    std::vector<std::string> labels;  // the model's
    std::vector<int> clip_labels;     // per clip: its label, the base's and the adapted leave-one-out predictions
    std::vector<int> base_predicted, adapted_predicted;
    double base_uar = 0.0, adapted_uar = 0.0;
    double base_log_likelihood = 0.0, adapted_log_likelihood = 0.0;
    bool better_or_equal = true;  // the guard's verdict (AdaptResult::better_or_equal)
    double strength = 1.0;        // and the strength it chose (AdaptResult::strength)
    std::vector<std::string> warnings;
    double seconds = 0.0;  // features + adaptation, in the worker
};

CalibrationSummary calibration_summary(const AdaptResult& result, const std::vector<int>& clip_labels,
                                       const std::vector<std::string>& labels, double seconds);
std::string calibration_summary_json(const CalibrationSummary& summary);
// Throws std::invalid_argument naming what is missing or inconsistent.
CalibrationSummary parse_calibration_summary(std::string_view json_text);

// Row shares [true][predicted] over the labels the clips cover (in model order), for the
// before/after pictures; covered receives those labels.
std::vector<std::vector<double>> calibration_confusion(const CalibrationSummary& summary, bool adapted,
                                                       std::vector<std::string>& covered);

}  // namespace ser::app
