#include "training/cross_validation.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "nn/rng.h"
#include "nn/thread_pool.h"
#include "training/evaluate.h"
#include "training/metrics.h"
#include "training/validation_split.h"

namespace ser {

namespace {

using nlohmann::json;

json matrix_to_json(const ConfusionMatrix& m) { return {{"classes", m.classes}, {"counts", m.counts}}; }

ConfusionMatrix matrix_from_json(const json& j) {
    ConfusionMatrix m(j.at("classes").get<int>());
    m.counts = j.at("counts").get<std::vector<std::int64_t>>();
    if (m.counts.size() != static_cast<std::size_t>(m.classes) * static_cast<std::size_t>(m.classes))
        throw std::invalid_argument("a confusion matrix of " + std::to_string(m.classes) + " classes with " +
                                    std::to_string(m.counts.size()) + " counts");
    return m;
}

json bins_to_json(const CalibrationBins& b) {
    return {{"confidence_sum", b.confidence_sum}, {"hits", b.hits}, {"count", b.count}};
}

CalibrationBins bins_from_json(const json& j) {
    CalibrationBins b;
    b.confidence_sum = j.at("confidence_sum").get<std::vector<double>>();
    b.hits = j.at("hits").get<std::vector<double>>();
    b.count = j.at("count").get<std::vector<double>>();
    if (b.hits.size() != b.count.size() || b.confidence_sum.size() != b.count.size())
        throw std::invalid_argument("calibration bins of different lengths");
    return b;
}

// The plan restricted to folds `indices` (ascending), test speakers filtered by `keep`.
SplitPlan sub_plan(const SplitPlan& plan, const std::vector<std::size_t>& indices,
                   const std::function<bool(const std::string&)>& keep = {}) {
    SplitPlan out = plan;
    out.folds.clear();
    for (std::size_t f : indices) {
        Fold fold;
        fold.name = plan.folds[f].name;
        for (const auto& s : plan.folds[f].test_speakers)
            if (!keep || keep(s)) fold.test_speakers.push_back(s);
        out.folds.push_back(std::move(fold));
    }
    return out;
}

}  // namespace

json to_json(const FoldOutcome& o) {
    json history = json::array();
    for (const auto& r : o.summary.history) history.push_back(to_json(r));
    json conditions = json::array();
    for (const auto& c : o.conditions) conditions.push_back(matrix_to_json(c));
    json by_corpus = json::object();
    for (const auto& [corpus, m] : o.clips_by_corpus) by_corpus[corpus] = matrix_to_json(m);
    return {{"index", o.index},
            {"name", o.summary.name},
            {"best_epoch", o.summary.best_epoch},
            {"epochs_run", o.summary.epochs_run},
            {"temperature", o.summary.temperature},
            {"label_masked", o.summary.label_masked},
            {"history", history},
            {"clips", matrix_to_json(o.clips)},
            {"windows", matrix_to_json(o.windows)},
            {"conditions", conditions},
            {"changed", o.changed},
            {"clips_by_corpus", by_corpus},
            {"calibration_before", bins_to_json(o.before)},
            {"calibration_after", bins_to_json(o.after)}};
}

FoldOutcome fold_outcome_from_json(const json& j) {
    try {
        FoldOutcome o;
        o.index = j.at("index").get<std::size_t>();
        o.summary.name = j.at("name").get<std::string>();
        o.summary.best_epoch = j.at("best_epoch").get<int>();
        o.summary.epochs_run = j.at("epochs_run").get<int>();
        o.summary.temperature = j.at("temperature").get<double>();
        o.summary.label_masked = j.at("label_masked").get<bool>();
        for (const auto& r : j.at("history")) o.summary.history.push_back(epoch_record_from_json(r));
        o.clips = matrix_from_json(j.at("clips"));
        o.windows = matrix_from_json(j.at("windows"));
        for (const auto& c : j.at("conditions")) o.conditions.push_back(matrix_from_json(c));
        o.changed = j.at("changed").get<std::vector<std::int64_t>>();
        if (o.changed.size() != o.conditions.size()) throw std::invalid_argument("'changed' needs one count per condition");
        for (const auto& [corpus, m] : j.at("clips_by_corpus").items()) o.clips_by_corpus[corpus] = matrix_from_json(m);
        o.before = bins_from_json(j.at("calibration_before"));
        o.after = bins_from_json(j.at("calibration_after"));
        return o;
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("not a fold result: ") + e.what());
    }
}

FoldOutcome run_fold(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan, std::size_t f,
                     const CrossValidationOptions& options) {
    const int classes = static_cast<int>(clips.labels.size());
    const InputShape shape = input_shape(config, clips);
    const Fold& fold = plan.folds.at(f);
    nn::ThreadPool pool(options.fit.threads);

    std::vector<std::size_t> train = fold.train, validation;
    if (config.validation_fraction > 0.0) {
        ValidationSplit vs = validation_split(clips.items, fold.train, config.validation_fraction, nn::mix_seed(config.seed, f));
        train = std::move(vs.train);
        validation = std::move(vs.validation);
    }
    // Extra training clips may hold a copy of a test or validation clip: it stays out.
    const std::vector<std::size_t> extra =
        without_duplicates_of(clips.items, without_duplicates_of(clips.items, options.train_only, fold.test), validation);
    train.insert(train.end(), extra.begin(), extra.end());
    FitResult fitted = fit(config, clips, train, validation, options.fit);
    if (fitted.interrupted) throw std::runtime_error("evaluation interrupted during " + fold.name);
    if (options.on_model) options.on_model(fold.name, model_of(config, clips, fitted), train);

    FoldOutcome out;
    out.index = f;
    const ClipScores test = score_clips(fitted.network, fitted.normalisation, shape, config, clips, fold.test, &pool);
    const std::vector<int> truth = truth_of(clips, fold.test);
    const std::vector<int> predicted = predicted_classes(test.clip_probabilities, classes);
    out.clips = confusion_matrix(truth, predicted, classes);
    for (std::size_t k = 0; k < fold.test.size(); ++k) {
        const std::string corpus(corpus_name(clips.items[fold.test[k]].corpus));
        out.clips_by_corpus.try_emplace(corpus, classes).first->second.add(truth[k], predicted[k]);
    }
    // Window-level figures and calibration: the clips' own windows (bare), as live meets them.
    const bool framed = !clips.edged.empty();
    const ClipScores bare = framed ? score_clips(fitted.network, fitted.normalisation, shape, config, clips, fold.test,
                                                 &pool, 1.0f, -1, Framing::bare)
                                   : ClipScores{};
    const ClipScores& windows = framed ? bare : test;
    const std::vector<int> wtruth = window_truth(clips, fold.test, windows);
    out.windows = confusion_matrix(wtruth, predicted_classes(windows.window_logits, classes), classes);

    for (std::size_t c = 0; c < clips.conditioned.size(); ++c) {
        const ClipScores degraded = score_clips(fitted.network, fitted.normalisation, shape, config, clips, fold.test,
                                                &pool, 1.0f, static_cast<int>(c));
        const std::vector<int> moved = predicted_classes(degraded.clip_probabilities, classes);
        out.conditions.push_back(confusion_matrix(truth, moved, classes));
        std::int64_t changed = 0;
        for (std::size_t k = 0; k < moved.size(); ++k) changed += moved[k] != predicted[k];
        out.changed.push_back(changed);
    }

    double temperature = 1.0;
    if (!validation.empty()) {
        const ClipScores val = score_clips(fitted.network, fitted.normalisation, shape, config, clips, validation, &pool,
                                           1.0f, -1, Framing::bare);
        temperature = fit_temperature(val.window_logits, classes, window_truth(clips, validation, val)).temperature;
    }
    out.before = calibration_bins(softmax_with_temperature(windows.window_logits, classes, 1.0), classes, wtruth);
    out.after = calibration_bins(softmax_with_temperature(windows.window_logits, classes, temperature), classes, wtruth);

    out.summary.name = fold.name;
    out.summary.best_epoch = fitted.best_epoch;
    out.summary.epochs_run = static_cast<int>(fitted.history.size());
    out.summary.temperature = temperature;
    out.summary.label_masked = fitted.label_masked;
    out.summary.history = std::move(fitted.history);
    return out;
}

CrossValidationResult combine_folds(const SplitPlan& plan, const std::vector<std::string>& labels,
                                    const std::vector<std::string>& condition_names, std::vector<FoldOutcome> outcomes) {
    std::sort(outcomes.begin(), outcomes.end(), [](const FoldOutcome& a, const FoldOutcome& b) { return a.index < b.index; });
    std::vector<std::size_t> indices;
    for (const auto& o : outcomes) {
        if (o.index >= plan.folds.size())
            throw std::invalid_argument("fold " + std::to_string(o.index + 1) + " is outside the plan's " +
                                        std::to_string(plan.folds.size()) + " folds");
        if (!indices.empty() && indices.back() == o.index)
            throw std::invalid_argument("fold " + std::to_string(o.index + 1) + " (" + o.summary.name + ") is given twice");
        if (o.conditions.size() != condition_names.size())
            throw std::invalid_argument(o.summary.name + " was tested under " + std::to_string(o.conditions.size()) +
                                        " conditions, this run under " + std::to_string(condition_names.size()));
        indices.push_back(o.index);
    }
    if (outcomes.empty()) throw std::invalid_argument("no fold results to combine");
    const SplitPlan run = sub_plan(plan, indices);

    CrossValidationResult result;
    std::vector<ConfusionMatrix> clip_confusions, window_confusions;
    std::vector<std::vector<ConfusionMatrix>> condition_confusions(condition_names.size());
    std::vector<std::int64_t> changed(condition_names.size(), 0);
    std::int64_t tested = 0;
    CalibrationBins before = outcomes.front().before, after = outcomes.front().after;
    double temperature_sum = 0.0;
    std::set<std::string> corpora;
    for (std::size_t k = 0; k < outcomes.size(); ++k) {
        const FoldOutcome& o = outcomes[k];
        clip_confusions.push_back(o.clips);
        window_confusions.push_back(o.windows);
        for (std::size_t c = 0; c < condition_names.size(); ++c) {
            condition_confusions[c].push_back(o.conditions[c]);
            changed[c] += o.changed[c];
        }
        tested += o.clips.total();
        if (k > 0) {
            before.merge(o.before);
            after.merge(o.after);
        }
        temperature_sum += o.summary.temperature;
        for (const auto& [corpus, m] : o.clips_by_corpus) corpora.insert(corpus);
        result.folds.push_back(o.summary);
    }
    result.clips = make_report(run, labels, clip_confusions);
    result.windows = make_report(run, labels, window_confusions);
    for (std::size_t c = 0; c < condition_names.size(); ++c)
        result.conditions.push_back({condition_names[c], make_report(run, labels, condition_confusions[c]),
                                     tested > 0 ? static_cast<double>(changed[c]) / static_cast<double>(tested) : 0.0});
    // Leave-one-corpus-out folds are per corpus already.
    if (corpora.size() > 1 && plan.protocol != "corpus")
        for (const auto& corpus : corpora) {
            std::vector<std::size_t> with;
            std::vector<ConfusionMatrix> confusions;
            for (const auto& o : outcomes)
                if (const auto it = o.clips_by_corpus.find(corpus); it != o.clips_by_corpus.end()) {
                    with.push_back(o.index);
                    confusions.push_back(it->second);
                }
            const SplitPlan part = sub_plan(plan, with, [&](const std::string& s) { return s.rfind(corpus + ":", 0) == 0; });
            result.by_corpus.push_back({corpus, make_report(part, labels, confusions)});
        }
    result.calibration.ece_before = before.ece();
    result.calibration.ece_after = after.ece();
    result.calibration.temperature_mean = temperature_sum / static_cast<double>(outcomes.size());
    return result;
}

CrossValidationResult cross_validate(const TrainingConfig& config, const ClipSet& clips, const SplitPlan& plan,
                                     const CrossValidationOptions& options) {
    std::vector<FoldOutcome> outcomes;
    for (std::size_t f = 0; f < plan.folds.size(); ++f) {
        if (options.on_fold) options.on_fold(static_cast<int>(f) + 1, static_cast<int>(plan.folds.size()), plan.folds[f].name);
        outcomes.push_back(run_fold(config, clips, plan, f, options));
    }
    return combine_folds(plan, clips.labels, clips.condition_names, std::move(outcomes));
}

}  // namespace ser
