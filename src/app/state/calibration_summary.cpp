#include "app/state/calibration_summary.h"

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace ser::app {

using nlohmann::json;

CalibrationSummary calibration_summary(const AdaptResult& result, const std::vector<int>& clip_labels,
                                       const std::vector<std::string>& labels, double seconds) {
    CalibrationSummary s;
    s.labels = labels;
    s.clip_labels = clip_labels;
    s.base_predicted = result.base_predicted;
    s.adapted_predicted = result.adapted_predicted;
    s.base_uar = result.base_uar;
    s.adapted_uar = result.adapted_uar;
    s.base_log_likelihood = result.base_log_likelihood;
    s.adapted_log_likelihood = result.adapted_log_likelihood;
    s.better_or_equal = result.better_or_equal;
    s.strength = result.strength;
    s.warnings = result.warnings;
    s.seconds = seconds;
    return s;
}

std::string calibration_summary_json(const CalibrationSummary& s) {
    return json_text({{"labels", s.labels},
                      {"clip_labels", s.clip_labels},
                      {"base_predicted", s.base_predicted},
                      {"adapted_predicted", s.adapted_predicted},
                      {"base_uar", s.base_uar},
                      {"adapted_uar", s.adapted_uar},
                      {"base_log_likelihood", s.base_log_likelihood},
                      {"adapted_log_likelihood", s.adapted_log_likelihood},
                      {"better_or_equal", s.better_or_equal},
                      {"strength", s.strength},
                      {"warnings", s.warnings},
                      {"seconds", s.seconds}});
}

CalibrationSummary parse_calibration_summary(std::string_view json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (!j.is_object()) throw std::invalid_argument("the calibration worker's answer is not a JSON object");
    CalibrationSummary s;
    try {
        j.at("labels").get_to(s.labels);
        j.at("clip_labels").get_to(s.clip_labels);
        j.at("base_predicted").get_to(s.base_predicted);
        j.at("adapted_predicted").get_to(s.adapted_predicted);
        j.at("base_uar").get_to(s.base_uar);
        j.at("adapted_uar").get_to(s.adapted_uar);
        j.at("base_log_likelihood").get_to(s.base_log_likelihood);
        j.at("adapted_log_likelihood").get_to(s.adapted_log_likelihood);
        j.at("better_or_equal").get_to(s.better_or_equal);
        j.at("strength").get_to(s.strength);
        j.at("warnings").get_to(s.warnings);
        j.at("seconds").get_to(s.seconds);
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("the calibration worker's answer is incomplete: ") + e.what());
    }
    const auto classes = static_cast<int>(s.labels.size());
    const auto valid = [&](const std::vector<int>& v) {
        return std::all_of(v.begin(), v.end(), [&](int c) { return c >= 0 && c < classes; });
    };
    const bool predicted = s.base_predicted.size() == s.clip_labels.size() && s.adapted_predicted.size() == s.clip_labels.size();
    if (!predicted || !valid(s.clip_labels) || !valid(s.base_predicted) || !valid(s.adapted_predicted))
        throw std::invalid_argument("the calibration worker's answer has predictions that do not match its clips and labels");
    return s;
}

std::vector<std::vector<double>> calibration_confusion(const CalibrationSummary& s, bool adapted,
                                                       std::vector<std::string>& covered) {
    std::vector<int> index(s.labels.size(), -1);
    covered.clear();
    for (std::size_t c = 0; c < s.labels.size(); ++c)
        if (std::count(s.clip_labels.begin(), s.clip_labels.end(), static_cast<int>(c)) > 0) {
            index[c] = static_cast<int>(covered.size());
            covered.push_back(s.labels[c]);
        }
    std::vector<std::vector<double>> counts(covered.size(), std::vector<double>(covered.size(), 0.0));
    const std::vector<int>& predicted = adapted ? s.adapted_predicted : s.base_predicted;
    std::vector<double> totals(covered.size(), 0.0);
    for (std::size_t k = 0; k < s.clip_labels.size(); ++k) {
        const int row = index[static_cast<std::size_t>(s.clip_labels[k])];
        totals[static_cast<std::size_t>(row)] += 1.0;
        // A prediction outside the covered labels counts in no column: its row then sums below 1.
        const int col = index[static_cast<std::size_t>(predicted[k])];
        if (col >= 0) counts[static_cast<std::size_t>(row)][static_cast<std::size_t>(col)] += 1.0;
    }
    // Shares of the row's clips (not of the row's sum, which leaves out those predictions).
    for (std::size_t r = 0; r < counts.size(); ++r)
        for (double& v : counts[r]) v /= totals[r];
    return counts;
}

}  // namespace ser::app
