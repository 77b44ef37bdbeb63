#include "training/cross_validation.h"

#include <stdexcept>

#include "nn/thread_pool.h"
#include "training/calibration.h"
#include "training/evaluate.h"
#include "training/metrics.h"
#include "training/rng.h"
#include "training/validation_split.h"

namespace ser {

namespace {

std::vector<int> truth_of(const ClipSet& clips, std::span<const std::size_t> items) {
    std::vector<int> truth;
    for (std::size_t i : items) truth.push_back(clips.label[i]);
    return truth;
}

std::vector<int> window_truth(const ClipSet& clips, std::span<const std::size_t> items, const ClipScores& scores) {
    std::vector<int> truth;
    for (int clip : scores.window_clip) truth.push_back(clips.label[items[static_cast<std::size_t>(clip)]]);
    return truth;
}

}  // namespace

CrossValidationResult cross_validate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                                     const CrossValidationOptions& options) {
    const int classes = static_cast<int>(clips.labels.size());
    const InputShape shape = input_shape(config, clips);
    nn::ThreadPool pool(options.fit.threads);

    std::vector<ConfusionMatrix> clip_confusions, window_confusions;
    std::vector<std::vector<ConfusionMatrix>> condition_confusions(clips.conditioned.size());
    std::vector<std::size_t> condition_changed(clips.conditioned.size(), 0);
    std::size_t tested = 0;
    std::vector<float> test_probs_before, test_probs_after;
    std::vector<int> test_truth;
    CrossValidationResult result;
    double temperature_sum = 0.0;

    for (std::size_t f = 0; f < plan.folds.size(); ++f) {
        const Fold& fold = plan.folds[f];
        if (options.on_fold) options.on_fold(static_cast<int>(f) + 1, static_cast<int>(plan.folds.size()), fold.name);

        std::vector<std::size_t> train = fold.train, validation;
        if (config.validation_fraction > 0.0) {
            ValidationSplit vs = validation_split(clips.items, fold.train, config.validation_fraction, mix_seed(config.seed, f));
            train = std::move(vs.train);
            validation = std::move(vs.validation);
        }
        train.insert(train.end(), options.train_only.begin(), options.train_only.end());
        FitResult fitted = fit(config, clips, train, validation, options.fit);
        if (fitted.interrupted) throw std::runtime_error("evaluation interrupted during " + fold.name);

        const ClipScores test = score_clips(fitted.network, fitted.normalisation, shape, config, clips, fold.test, &pool);
        const std::vector<int> truth = truth_of(clips, fold.test);
        clip_confusions.push_back(confusion_matrix(truth, predicted_classes(test.clip_probabilities, classes), classes));
        const std::vector<int> wtruth = window_truth(clips, fold.test, test);
        window_confusions.push_back(confusion_matrix(wtruth, predicted_classes(test.window_logits, classes), classes));

        const std::vector<int> clean = predicted_classes(test.clip_probabilities, classes);
        tested += clean.size();
        for (std::size_t c = 0; c < clips.conditioned.size(); ++c) {
            const ClipScores degraded = score_clips(fitted.network, fitted.normalisation, shape, config, clips, fold.test,
                                                    &pool, 1.0f, static_cast<int>(c));
            const std::vector<int> predicted = predicted_classes(degraded.clip_probabilities, classes);
            condition_confusions[c].push_back(confusion_matrix(truth, predicted, classes));
            for (std::size_t k = 0; k < clean.size(); ++k) condition_changed[c] += predicted[k] != clean[k];
        }

        double temperature = 1.0;
        if (!validation.empty()) {
            const ClipScores val = score_clips(fitted.network, fitted.normalisation, shape, config, clips, validation, &pool);
            temperature = fit_temperature(val.window_logits, classes, window_truth(clips, validation, val)).temperature;
        }
        const auto before = softmax_with_temperature(test.window_logits, classes, 1.0);
        const auto after = softmax_with_temperature(test.window_logits, classes, temperature);
        test_probs_before.insert(test_probs_before.end(), before.begin(), before.end());
        test_probs_after.insert(test_probs_after.end(), after.begin(), after.end());
        test_truth.insert(test_truth.end(), wtruth.begin(), wtruth.end());
        temperature_sum += temperature;

        FoldSummary summary;
        summary.name = fold.name;
        summary.best_epoch = fitted.best_epoch;
        summary.epochs_run = static_cast<int>(fitted.history.size());
        summary.temperature = temperature;
        summary.history = std::move(fitted.history);
        result.folds.push_back(std::move(summary));
    }

    result.clips = make_report(plan, clips.labels, clip_confusions);
    result.windows = make_report(plan, clips.labels, window_confusions);
    for (std::size_t c = 0; c < clips.conditioned.size(); ++c)
        result.conditions.push_back({clips.condition_names[c], make_report(plan, clips.labels, condition_confusions[c]),
                                     tested ? static_cast<double>(condition_changed[c]) / static_cast<double>(tested) : 0.0});
    result.calibration.ece_before = expected_calibration_error(test_probs_before, classes, test_truth);
    result.calibration.ece_after = expected_calibration_error(test_probs_after, classes, test_truth);
    result.calibration.temperature_mean = temperature_sum / static_cast<double>(plan.folds.size());
    return result;
}

}  // namespace ser
