#pragma once
// Classification metrics from a confusion matrix: accuracy, unweighted average recall (UAR),
// per-class precision/recall/F1 and support, and mean +- sd over folds.

#include <cstdint>
#include <span>
#include <vector>

namespace ser {

struct ConfusionMatrix {
    int classes = 0;
    std::vector<std::int64_t> counts;  // row-major [truth][predicted]

    explicit ConfusionMatrix(int n_classes = 0);
    std::int64_t at(int truth, int predicted) const;
    void add(int truth, int predicted);   // throws std::invalid_argument outside [0, classes)
    void merge(const ConfusionMatrix& other);  // adds counts; same class count required
    std::int64_t total() const;
};

// Throws std::invalid_argument when the spans differ in length or hold a class outside
// [0, classes).
ConfusionMatrix confusion_matrix(std::span<const int> truth, std::span<const int> predicted, int classes);

struct ClassScores {
    double precision = 0.0;  // 0 when the class is never predicted
    double recall = 0.0;     // 0 when the class never occurs (support 0)
    double f1 = 0.0;         // 0 when precision + recall is 0
    std::int64_t support = 0;
};

struct ClassificationScores {
    double accuracy = 0.0;
    double uar = 0.0;       // mean recall over the classes that occur (support > 0)
    double macro_f1 = 0.0;  // mean F1 over the same classes
    std::vector<ClassScores> per_class;
};

// Throws std::invalid_argument for an empty matrix (nothing was classified).
ClassificationScores score(const ConfusionMatrix& confusion);

struct MeanSd {
    double mean = 0.0;
    double sd = 0.0;  // sample standard deviation (n - 1); 0 for a single value
};

MeanSd mean_sd(std::span<const double> values);  // throws std::invalid_argument when empty

}  // namespace ser
