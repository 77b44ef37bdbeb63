#include "training/calibration.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace ser {

namespace {

void check_shape(std::span<const float> scores, int classes, std::span<const int> truth, const char* what) {
    if (classes < 2) throw std::invalid_argument(std::string(what) + ": needs at least 2 classes");
    if (scores.size() != truth.size() * static_cast<std::size_t>(classes))
        throw std::invalid_argument(std::string(what) + ": " + std::to_string(scores.size()) + " scores for " +
                                    std::to_string(truth.size()) + " examples of " + std::to_string(classes) + " classes");
    if (truth.empty()) throw std::invalid_argument(std::string(what) + ": no examples");
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (truth[i] < 0 || truth[i] >= classes)
            throw std::invalid_argument(std::string(what) + ": example " + std::to_string(i) + " has class " +
                                        std::to_string(truth[i]) + ", outside [0, " + std::to_string(classes) + ")");
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (!std::isfinite(scores[i]))
            throw std::invalid_argument(std::string(what) + ": score " + std::to_string(i) + " is not finite");
}

// log-sum-exp of beta * z and the softmax mean of z, for one row.
void row_stats(const float* z, int classes, double beta, double& log_sum, double& mean_z) {
    const Eigen::ArrayXd row = Eigen::Map<const Eigen::ArrayXf>(z, classes).cast<double>();
    const double top = row.maxCoeff();
    const Eigen::ArrayXd e = (beta * (row - top)).exp();
    const double sum = e.sum();
    log_sum = beta * top + std::log(sum);
    mean_z = (e * row).sum() / sum;
}

// d/d(beta) of the mean NLL at inverse temperature beta: mean of E_p[z] - z_true.
double nll_slope(std::span<const float> logits, int classes, std::span<const int> truth, double beta) {
    double slope = 0.0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const float* z = logits.data() + i * static_cast<std::size_t>(classes);
        double log_sum, mean_z;
        row_stats(z, classes, beta, log_sum, mean_z);
        slope += mean_z - z[truth[i]];
    }
    return slope / static_cast<double>(truth.size());
}

}  // namespace

CalibrationBins calibration_bins(std::span<const float> probabilities, int classes, std::span<const int> truth, int bins) {
    check_shape(probabilities, classes, truth, "expected calibration error");
    if (bins < 1) throw std::invalid_argument("expected calibration error: needs at least one bin");
    CalibrationBins out;
    out.confidence_sum.assign(static_cast<std::size_t>(bins), 0.0);
    out.hits.assign(static_cast<std::size_t>(bins), 0.0);
    out.count.assign(static_cast<std::size_t>(bins), 0.0);
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const float* p = probabilities.data() + i * static_cast<std::size_t>(classes);
        double row_sum = 0.0;
        int top = 0;
        for (int k = 0; k < classes; ++k) {
            if (p[k] < 0.0f || p[k] > 1.0f)
                throw std::invalid_argument("expected calibration error: example " + std::to_string(i) +
                                            " has a probability outside [0, 1]: pass probabilities, not logits");
            row_sum += p[k];
            if (p[k] > p[top]) top = k;
        }
        if (std::fabs(row_sum - 1.0) > 1e-3)
            throw std::invalid_argument("expected calibration error: the probabilities of example " + std::to_string(i) +
                                        " sum to " + std::to_string(row_sum) + ", not 1");
        const double confidence = p[top];
        const int bin = std::clamp(static_cast<int>(std::ceil(confidence * bins)) - 1, 0, bins - 1);
        out.confidence_sum[static_cast<std::size_t>(bin)] += confidence;
        out.hits[static_cast<std::size_t>(bin)] += top == truth[i] ? 1.0 : 0.0;
        out.count[static_cast<std::size_t>(bin)] += 1.0;
    }
    return out;
}

void CalibrationBins::merge(const CalibrationBins& other) {
    if (other.count.size() != count.size())
        throw std::invalid_argument("calibration bins: cannot merge " + std::to_string(other.count.size()) + " bins into " +
                                    std::to_string(count.size()));
    for (std::size_t b = 0; b < count.size(); ++b) {
        confidence_sum[b] += other.confidence_sum[b];
        hits[b] += other.hits[b];
        count[b] += other.count[b];
    }
}

double CalibrationBins::ece() const {
    double n = 0.0;
    for (double c : count) n += c;
    if (n == 0.0) return 0.0;
    double ece = 0.0;
    for (std::size_t b = 0; b < count.size(); ++b)
        if (count[b] > 0.0) ece += std::fabs(hits[b] - confidence_sum[b]) / n;
    return ece;
}

double expected_calibration_error(std::span<const float> probabilities, int classes, std::span<const int> truth, int bins) {
    return calibration_bins(probabilities, classes, truth, bins).ece();
}

std::vector<float> softmax_with_temperature(std::span<const float> logits, int classes, double temperature) {
    if (!(temperature > 0.0) || !std::isfinite(temperature))
        throw std::invalid_argument("softmax: the temperature must be positive and finite");
    if (classes < 1 || logits.size() % static_cast<std::size_t>(classes) != 0)
        throw std::invalid_argument("softmax: " + std::to_string(logits.size()) + " logits do not form rows of " +
                                    std::to_string(classes));
    for (std::size_t i = 0; i < logits.size(); ++i)
        if (!std::isfinite(logits[i])) throw std::invalid_argument("softmax: logit " + std::to_string(i) + " is not finite");
    using Rows = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto n_rows = static_cast<Eigen::Index>(logits.size() / static_cast<std::size_t>(classes));
    const Eigen::Map<const Rows> z(logits.data(), n_rows, classes);
    // Shifting by the row maximum keeps exp() finite; computed in double, stored as float.
    const Eigen::ArrayXXd shifted = (z.cast<double>().colwise() - z.cast<double>().rowwise().maxCoeff()) / temperature;
    const Eigen::ArrayXXd e = shifted.exp();
    const Eigen::ArrayXXd p = e.colwise() / e.rowwise().sum();
    std::vector<float> out(logits.size());
    Eigen::Map<Rows>(out.data(), n_rows, classes) = p.cast<float>();
    return out;
}

double mean_nll(std::span<const float> logits, int classes, std::span<const int> truth, double temperature) {
    check_shape(logits, classes, truth, "negative log-likelihood");
    if (!(temperature > 0.0) || !std::isfinite(temperature))
        throw std::invalid_argument("negative log-likelihood: the temperature must be positive and finite");
    const double beta = 1.0 / temperature;
    double total = 0.0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const float* z = logits.data() + i * static_cast<std::size_t>(classes);
        double log_sum, mean_z;
        row_stats(z, classes, beta, log_sum, mean_z);
        total += log_sum - beta * z[truth[i]];
    }
    return total / static_cast<double>(truth.size());
}

TemperatureFit fit_temperature(std::span<const float> logits, int classes, std::span<const int> truth) {
    check_shape(logits, classes, truth, "temperature fit");
    // Bisection on log(beta) between the temperature limits; the slope rises with beta.
    double lo = std::log(1.0 / 20.0), hi = std::log(1.0 / 0.05);
    double beta;
    if (nll_slope(logits, classes, truth, std::exp(hi)) <= 0.0) {
        beta = std::exp(hi);  // separable data: sharper is always better, up to the limit
    } else if (nll_slope(logits, classes, truth, std::exp(lo)) >= 0.0) {
        beta = std::exp(lo);  // logits carry no information: flatten to the limit
    } else {
        for (int iteration = 0; iteration < 60; ++iteration) {
            const double mid = 0.5 * (lo + hi);
            (nll_slope(logits, classes, truth, std::exp(mid)) < 0.0 ? lo : hi) = mid;
        }
        beta = std::exp(0.5 * (lo + hi));
    }
    TemperatureFit fit;
    fit.temperature = 1.0 / beta;
    fit.nll_before = mean_nll(logits, classes, truth, 1.0);
    fit.nll_after = mean_nll(logits, classes, truth, fit.temperature);
    return fit;
}

}  // namespace ser
