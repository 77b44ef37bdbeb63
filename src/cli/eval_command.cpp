// ser eval: how good a model or a training recipe is on voices it never heard.
//   --config: cross-validation, one model trained per fold (speaker folds by default).
//   --model:  an exported model scored on data; clips of speakers it was trained on are
//             left out, since their numbers would be leaky.

#include "cli/commands.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "analysis/clip_analysis.h"
#include "cli/adapt_eval_command.h"
#include "cli/data_options.h"
#include "cli/interrupt.h"
#include "cli/progress_bar.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"
#include "training/cross_validation.h"
#include "training/parallel_map.h"

namespace ser::cli {

namespace {

struct EvalOptions {
    DataOptions data;
    std::string config;
    std::string model;
    std::string folds = "speaker";
    std::string format = "text";
    std::string svg;
    std::string out;
    std::optional<std::uint64_t> seed;
    std::optional<int> epochs;
    std::string adapt_shots, adapt_methods = "norm+head2";
};

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string svg_path(const std::string& base, const std::string& protocol, bool several) {
    if (!several) return base;
    std::filesystem::path p(base);
    return (p.parent_path() / (p.stem().string() + "." + protocol + p.extension().string())).string();
}

nlohmann::json summary_json(const EvaluationReport& report) {
    const ReportSummary s = summarize(report);
    return {{"accuracy", s.accuracy.mean}, {"accuracy_sd", s.accuracy.sd}, {"uar", s.uar.mean}, {"uar_sd", s.uar.sd}};
}

struct Outcome {
    EvaluationReport report;
    nlohmann::json extra = nlohmann::json::object();
    std::string extra_text;
};

Outcome cross_validate_config(const EvalOptions& o, const TrainingConfig& config, const ClipSet& clips,
                              const std::string& protocol) {
    const SplitPlan plan = make_split(protocol, std::span(clips.items).first(clips.evaluated), config.seed);
    CrossValidationOptions cv;
    for (std::size_t i = clips.evaluated; i < clips.items.size(); ++i) cv.train_only.push_back(i);
    cv.fit.threads = o.data.threads;
    cv.fit.stop = &interrupt_flag();
    std::unique_ptr<ProgressBar> bar;
    cv.on_fold = [&](int fold, int folds, const std::string& name) {
        bar = std::make_unique<ProgressBar>("fold " + std::to_string(fold) + "/" + std::to_string(folds) + " (" + name + ")");
    };
    cv.fit.on_progress = [&](const FitProgress& p) {
        char status[96];
        std::snprintf(status, sizeof status, "epoch %d/%d loss %.3f acc %.3f", p.epoch, p.epochs, p.loss, p.accuracy);
        bar->update((p.epoch - 1) + static_cast<double>(p.batch) / p.batches, p.epochs, status, p.eta_s);
    };
    const CrossValidationResult r = cross_validate(config, clips, plan, cv);
    if (bar) bar->finish();

    Outcome out;
    out.report = r.clips;
    nlohmann::json folds = nlohmann::json::array();
    for (const auto& f : r.folds)
        folds.push_back({{"name", f.name}, {"best_epoch", f.best_epoch}, {"epochs_run", f.epochs_run}, {"temperature", f.temperature}});
    nlohmann::json conditions = nlohmann::json::object();
    for (const auto& c : r.conditions) {
        const ReportSummary s = summarize(c.clips);
        conditions[c.name] = {{"accuracy", s.accuracy.mean}, {"accuracy_sd", s.accuracy.sd}, {"uar", s.uar.mean},
                              {"uar_sd", s.uar.sd}, {"per_class", report_json(c.clips).at("per_class")}};
    }
    out.extra = {{"level", "clip (mean of window probabilities)"},
                 {"conditions", conditions},
                 {"train_only_files", cv.train_only.size()},
                 {"window_level", summary_json(r.windows)},
                 {"calibration", {{"ece_before", r.calibration.ece_before}, {"ece_after", r.calibration.ece_after},
                                  {"temperature_mean", r.calibration.temperature_mean}, {"bins", 15}}},
                 {"training", folds},
                 {"config", to_json(config)}};
    const ReportSummary w = summarize(r.windows);
    char text[256];
    std::snprintf(text, sizeof text,
                  "window level: accuracy %.3f ± %.3f, UAR %.3f ± %.3f\n"
                  "calibration (test windows, 15-bin ECE): %.3f before, %.3f after temperature scaling (mean T %.2f)\n",
                  w.accuracy.mean, w.accuracy.sd, w.uar.mean, w.uar.sd, r.calibration.ece_before, r.calibration.ece_after,
                  r.calibration.temperature_mean);
    out.extra_text = text;
    for (const auto& c : r.conditions) {
        const ReportSummary s = summarize(c.clips);
        std::snprintf(text, sizeof text, "test side under %-12s accuracy %.3f ± %.3f, UAR %.3f ± %.3f\n", c.name.c_str(),
                      s.accuracy.mean, s.accuracy.sd, s.uar.mean, s.uar.sd);
        out.extra_text += text;
    }
    return out;
}

Outcome score_model(const EvalOptions& o) {
    const Model model = load_model(read_text_file(o.model));
    TrainingConfig config;
    config.features = model.features;
    if (model.training.contains("config")) config.labels = training_config_from_json(model.training.at("config")).labels;

    std::vector<DataSource> sources;
    for (const auto& text : o.data.data) sources.push_back(parse_data_source(text));
    ScannedData scanned = scan_sources(sources, config.labels);
    std::set<std::string> trained_on;
    if (model.training.contains("train_speakers"))
        for (const auto& s : model.training.at("train_speakers")) trained_on.insert(s.get<std::string>());
    std::vector<CorpusItem> items;
    std::size_t leaky = 0, unknown_label = 0;
    for (auto& item : scanned.items) {
        if (trained_on.count(item.speaker)) ++leaky;
        else if (std::find(model.labels.begin(), model.labels.end(), item.label) == model.labels.end()) ++unknown_label;
        else items.push_back(std::move(item));
    }
    if (leaky) std::fprintf(stderr, "note: %zu files of speakers this model was trained on are left out\n", leaky);
    if (unknown_label) std::fprintf(stderr, "note: %zu files with labels this model does not know are left out\n", unknown_label);
    if (items.empty()) throw std::runtime_error("no files left to evaluate: every speaker given was in the model's training data");

    std::mutex mutex;
    std::vector<std::unique_ptr<ClipAnalyzer>> analyzers;
    auto classify = [&](const CorpusItem& item) {
        std::unique_ptr<ClipAnalyzer> analyzer;
        {
            std::lock_guard lock(mutex);
            if (!analyzers.empty()) {
                analyzer = std::move(analyzers.back());
                analyzers.pop_back();
            }
        }
        if (!analyzer) analyzer = std::make_unique<ClipAnalyzer>(model);
        const int label = analyzer->analyse(load_audio(item.path, analyzer->sample_rate()), false).label;
        std::lock_guard lock(mutex);
        analyzers.push_back(std::move(analyzer));
        return label;
    };
    ProgressBar bar("evaluate");
    ParallelOptions parallel;
    parallel.threads = o.data.threads;
    parallel.on_progress = [&](const ProgressCounts& p) { bar.update(static_cast<double>(p.done), static_cast<double>(p.total)); };
    auto results = parallel_map<int>(std::span<const CorpusItem>(items), classify, parallel);
    bar.finish();

    std::vector<int> truth, predicted;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!results.results[i]) continue;
        truth.push_back(label_index(model.labels, items[i].label));
        predicted.push_back(*results.results[i]);
    }
    for (const auto& e : results.errors)
        std::fprintf(stderr, "warning: %s skipped: %s\n", items[e.index].path.string().c_str(), e.message.c_str());

    SplitPlan plan;
    plan.protocol = "held-out";
    plan.description = "exported model on files of speakers it was not trained on";
    Fold fold;
    fold.name = "all";
    std::set<std::string> speakers;
    for (const auto& item : items) speakers.insert(item.speaker);
    fold.test_speakers.assign(speakers.begin(), speakers.end());
    for (std::size_t i = 0; i < truth.size(); ++i) fold.test.push_back(i);
    plan.folds.push_back(fold);
    Outcome out;
    out.report = make_report(plan, model.labels, {confusion_matrix(truth, predicted, static_cast<int>(model.labels.size()))});
    out.extra = {{"model", std::filesystem::path(o.model).filename().string()}, {"left_out_trained_speakers", leaky}};
    return out;
}

void run_eval(const EvalOptions& o) {
    if (o.config.empty() == o.model.empty()) throw std::invalid_argument("give exactly one of --config (cross-validate a recipe) or --model (score a model)");
    std::vector<Outcome> outcomes;
    if (!o.model.empty()) {
        if (!o.adapt_shots.empty()) throw std::invalid_argument("--adapt-shots needs --config: it adapts each fold's model to that fold's held-out speakers");
        outcomes.push_back(score_model(o));
    } else {
        TrainingConfig config = read_training_config(o.config);
        if (o.seed) config.seed = *o.seed;
        if (o.epochs) config.epochs = *o.epochs;
        const ClipSet clips = load_data(o.data, config);
        if (!o.adapt_shots.empty()) {
            const auto protocols = split_list(o.folds);
            for (const auto& protocol : protocols) {
                const std::string out = o.out.empty() ? "" : svg_path(o.out, protocol, protocols.size() > 1);
                run_adapt_eval(o.data, config, clips, {o.adapt_shots, o.adapt_methods, protocol, out, o.format == "json"});
            }
            return;
        }
        for (const auto& protocol : split_list(o.folds)) outcomes.push_back(cross_validate_config(o, config, clips, protocol));
    }

    const bool several = outcomes.size() > 1;
    if (!o.svg.empty())
        for (const auto& out : outcomes) write_file_atomically(svg_path(o.svg, out.report.protocol, several), confusion_svg(out.report));

    nlohmann::json all = nlohmann::json::array();
    for (const auto& out : outcomes) {
        nlohmann::json j = report_json(out.report);
        for (const auto& [key, value] : out.extra.items()) j[key] = value;
        all.push_back(j);
    }
    const nlohmann::json document = several ? all : all.front();
    if (!o.out.empty()) write_file_atomically(o.out, document.dump(2) + "\n");
    if (o.format == "json") {
        std::printf("%s\n", document.dump(2).c_str());
        return;
    }
    for (const auto& out : outcomes) {
        std::printf("%s%s\n", report_text(out.report).c_str(), out.extra_text.c_str());
    }
    if (several) {
        std::printf("side by side (clip level):\n");
        for (const auto& out : outcomes) {
            const ReportSummary s = summarize(out.report);
            std::printf("  %-10s accuracy %.3f ± %.3f  UAR %.3f ± %.3f%s%s\n", out.report.protocol.c_str(), s.accuracy.mean,
                        s.accuracy.sd, s.uar.mean, s.uar.sd, out.report.caveat.empty() ? "" : "  <- ",
                        out.report.caveat.c_str());
        }
    }
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand("eval", "Evaluate a training recipe (cross-validation) or a model, speaker-independent");
    add_data_options(*cmd, o->data);
    cmd->add_option("--config", o->config, "Training config to cross-validate (one model per fold)")->check(CLI::ExistingFile);
    cmd->add_option("--model", o->model, "Model file to score on the data")->check(CLI::ExistingFile);
    cmd->add_option("--folds", o->folds,
                    "Protocols, comma-separated: speaker (gender-balanced speaker folds), loso, corpus, random "
                    "(80/20, speakers overlap: leaky, shown labelled)");
    cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--svg", o->svg, "Write the confusion matrix picture here");
    cmd->add_option("--out", o->out, "Also write the JSON report here");
    cmd->add_option("--train-also", o->data.train_also,
                    "Extra corpus folder (CORPUS=DIR) added to the training side of every fold, never tested");
    cmd->add_option("--condition", o->data.conditions,
                    "Also test every fold on degraded audio: noise:SNR_DB (pink), white:SNR_DB, reverb:RT60_S; repeatable");
    cmd->add_flag("--shared-labels", o->data.shared_labels,
                  "Keep only the labels every corpus given has (cross-corpus comparisons)");
    cmd->add_option("--seed", o->seed, "Seed (overrides the config's)");
    cmd->add_option("--epochs", o->epochs, "Epochs (overrides the config's)")->check(CLI::PositiveNumber);
    cmd->add_option("--adapt-shots", o->adapt_shots,
                    "Measure few-shot adaptation instead: K clips per label of each held-out speaker, e.g. 0,1,2,4 "
                    "(0: the speaker's normalisation only, no labels)");
    cmd->add_option("--adapt-method", o->adapt_methods, "With --adapt-shots: adaptation methods, comma-separated (see ser adapt)")
        ->capture_default_str();
    cmd->callback([o] { run_eval(*o); });
}

}  // namespace ser::cli
