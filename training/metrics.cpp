#include "training/metrics.h"

#include <cmath>
#include <stdexcept>
#include <string>

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
    ClassificationScores scores;
    scores.per_class.resize(static_cast<std::size_t>(n));
    std::int64_t correct = 0;
    int present = 0;
    for (int c = 0; c < n; ++c) {
        std::int64_t support = 0, predicted = 0;
        for (int k = 0; k < n; ++k) {
            support += confusion.at(c, k);
            predicted += confusion.at(k, c);
        }
        const std::int64_t hits = confusion.at(c, c);
        correct += hits;
        ClassScores& s = scores.per_class[static_cast<std::size_t>(c)];
        s.support = support;
        s.precision = predicted > 0 ? static_cast<double>(hits) / static_cast<double>(predicted) : 0.0;
        s.recall = support > 0 ? static_cast<double>(hits) / static_cast<double>(support) : 0.0;
        s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
        if (support > 0) {
            ++present;
            scores.uar += s.recall;
            scores.macro_f1 += s.f1;
        }
    }
    scores.accuracy = static_cast<double>(correct) / static_cast<double>(total);
    scores.uar /= present;
    scores.macro_f1 /= present;
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
