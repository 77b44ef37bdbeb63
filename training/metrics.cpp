#include "training/metrics.h"

#include <Eigen/Core>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace ser {

ConfusionMatrix::ConfusionMatrix(int n_classes) : classes(n_classes) {
    if (n_classes < 0) throw std::invalid_argument("a confusion matrix needs a class count >= 0");
    counts.assign(static_cast<std::size_t>(n_classes) * static_cast<std::size_t>(n_classes), 0);
}

std::int64_t ConfusionMatrix::at(int truth, int predicted) const {
    if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes)
        throw std::invalid_argument("confusion matrix cell (" + std::to_string(truth) + ", " + std::to_string(predicted) +
                                    ") is outside " + std::to_string(classes) + " classes");
    return counts[static_cast<std::size_t>(truth) * static_cast<std::size_t>(classes) + static_cast<std::size_t>(predicted)];
}

void ConfusionMatrix::add(int truth, int predicted) {
    if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes)
        throw std::invalid_argument("class pair (" + std::to_string(truth) + ", " + std::to_string(predicted) +
                                    ") is outside [0, " + std::to_string(classes) + ")");
    ++counts[static_cast<std::size_t>(truth) * static_cast<std::size_t>(classes) + static_cast<std::size_t>(predicted)];
}

void ConfusionMatrix::merge(const ConfusionMatrix& other) {
    if (other.classes != classes)
        throw std::invalid_argument("cannot add a " + std::to_string(other.classes) + "-class confusion matrix to a " +
                                    std::to_string(classes) + "-class one");
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
}

std::int64_t ConfusionMatrix::total() const {
    std::int64_t sum = 0;
    for (auto c : counts) sum += c;
    return sum;
}

ConfusionMatrix confusion_matrix(std::span<const int> truth, std::span<const int> predicted, int classes) {
    if (truth.size() != predicted.size())
        throw std::invalid_argument("confusion matrix: " + std::to_string(truth.size()) + " true labels but " +
                                    std::to_string(predicted.size()) + " predictions");
    ConfusionMatrix matrix(classes);
    for (std::size_t i = 0; i < truth.size(); ++i) matrix.add(truth[i], predicted[i]);
    return matrix;
}

ClassificationScores score(const ConfusionMatrix& confusion) {
    const std::int64_t total = confusion.total();
    if (total == 0) throw std::invalid_argument("no predictions to score: the confusion matrix is empty");
    const int n = confusion.classes;
    // Counts stay exact in double up to 2^53; Eigen's int64 casts trip GCC 12's AVX-512 warnings.
    const std::vector<double> as_double(confusion.counts.begin(), confusion.counts.end());
    using Counts = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const Counts> counts(as_double.data(), n, n);
    const Eigen::ArrayXd hits = counts.diagonal().array();
    const Eigen::ArrayXd support = counts.rowwise().sum().array();
    const Eigen::ArrayXd predicted = counts.colwise().sum().transpose().array();
    // Empty rows and columns score 0 rather than 0/0.
    const Eigen::ArrayXd precision = (predicted > 0).select(hits / predicted.max(1.0), 0.0);
    const Eigen::ArrayXd recall = (support > 0).select(hits / support.max(1.0), 0.0);
    const Eigen::ArrayXd f1 = (precision + recall > 0).select(2.0 * precision * recall / (precision + recall).max(1e-300), 0.0);
    const Eigen::ArrayXd present = (support > 0).cast<double>();

    ClassificationScores scores;
    scores.accuracy = hits.sum() / static_cast<double>(total);
    scores.uar = (recall * present).sum() / present.sum();
    scores.macro_f1 = (f1 * present).sum() / present.sum();
    for (int c = 0; c < n; ++c)
        scores.per_class.push_back({precision(c), recall(c), f1(c), static_cast<std::int64_t>(support(c))});
    return scores;
}

MeanSd mean_sd(std::span<const double> values) {
    if (values.empty()) throw std::invalid_argument("mean and sd of no values");
    double sum = 0.0;
    for (double v : values) {
        if (!std::isfinite(v)) throw std::invalid_argument("mean and sd: a value is not finite");
        sum += v;
    }
    MeanSd result;
    result.mean = sum / static_cast<double>(values.size());
    if (values.size() > 1) {
        double squares = 0.0;
        for (double v : values) squares += (v - result.mean) * (v - result.mean);
        result.sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
    }
    return result;
}

}  // namespace ser
