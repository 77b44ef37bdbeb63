// ser eval: how good a model or a training recipe is on voices it never heard.
//   --config: cross-validation, one model trained per fold (speaker folds by default);
//             --fold K, --resume DIR and --merge run it in pieces (cli/fold_files.h).
//   --model:  an exported model scored on data; clips of speakers it was trained on are
//             left out, since their numbers would be leaky.

#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "analysis/analyzer.h"
#include "cli/adapt_eval_command.h"
#include "cli/data_options.h"
#include "cli/fold_files.h"
#include "cli/interrupt.h"
#include "cli/progress_bar.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"
#include "training/augment/pipeline.h"
#include "model/json_text.h"
#include "training/cross_validation.h"
#include "training/dataset.h"
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
    bool merge_calm = false;
    std::string test_corpus;
    std::optional<int> fold;
    std::vector<std::string> merge;
    std::string resume;
    std::string save_models;
    std::string adapt_shots, adapt_methods = "norm+head2";
    int adapt_steps = AdaptOptions{}.steps;
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

// The test conditions' rows, alike for cross-validation and a scored model.
void add_conditions(const std::vector<ConditionReport>& reports, Outcome& out) {
    nlohmann::json conditions = nlohmann::json::object();
    char text[256];
    for (const auto& c : reports) {
        const ReportSummary s = summarize(c.clips);
        conditions[c.name] = {{"accuracy", s.accuracy.mean}, {"accuracy_sd", s.accuracy.sd}, {"uar", s.uar.mean},
                              {"uar_sd", s.uar.sd}, {"changed_answers", c.changed},
                              {"per_class", report_json(c.clips).at("per_class")}};
        std::snprintf(text, sizeof text, "test side under %-12s accuracy %.3f ± %.3f, UAR %.3f ± %.3f, answers changed %.1f %%\n",
                      c.name.c_str(), s.accuracy.mean, s.accuracy.sd, s.uar.mean, s.uar.sd, 100.0 * c.changed);
        out.extra_text += text;
    }
    out.extra["conditions"] = conditions;
}

// The report of a cross-validation, from its result and the run's header: a full run and
// a merge of its folds go through here alike, so they write the same document.
Outcome cross_validation_outcome(const CrossValidationResult& r, const nlohmann::json& run) {
    Outcome out;
    out.report = r.clips;
    nlohmann::json folds = nlohmann::json::array();
    for (const auto& f : r.folds)
        folds.push_back({{"name", f.name}, {"best_epoch", f.best_epoch}, {"epochs_run", f.epochs_run},
                         {"temperature", f.temperature}, {"label_masked", f.label_masked}});
    out.extra = {{"level", "clip (mean of window probabilities)"},
                 {"train_only_files", run.at("data").at("train_only_files")},
                 {"window_level", summary_json(r.windows)},
                 {"calibration", {{"ece_before", r.calibration.ece_before}, {"ece_after", r.calibration.ece_after},
                                  {"temperature_mean", r.calibration.temperature_mean}, {"bins", 15}}},
                 {"training", folds},
                 {"config", run.at("config")}};
    if (!r.by_corpus.empty()) {
        nlohmann::json by_corpus = nlohmann::json::object();
        for (const auto& c : r.by_corpus) by_corpus[c.corpus] = report_json(c.clips);
        out.extra["by_corpus"] = by_corpus;
    }
    const ReportSummary w = summarize(r.windows);
    char text[256];
    std::snprintf(text, sizeof text,
                  "window level: accuracy %.3f ± %.3f, UAR %.3f ± %.3f\n"
                  "calibration (test windows, 15-bin ECE): %.3f before, %.3f after temperature scaling (mean T %.2f)\n",
                  w.accuracy.mean, w.accuracy.sd, w.uar.mean, w.uar.sd, r.calibration.ece_before, r.calibration.ece_after,
                  r.calibration.temperature_mean);
    out.extra_text = text;
    add_conditions(r.conditions, out);
    for (const auto& c : r.by_corpus) {
        const ReportSummary s = summarize(c.clips);
        std::snprintf(text, sizeof text, "test clips of %-8s accuracy %.3f ± %.3f, UAR %.3f ± %.3f over its labels (%zu folds)\n",
                      c.corpus.c_str(), s.accuracy.mean, s.accuracy.sd, s.uar.mean, s.uar.sd, c.clips.folds.size());
        out.extra_text += text;
    }
    return out;
}

// The folds of `plan` this run asks for: all, --fold K, or the fold testing --test-corpus.
std::vector<std::size_t> selected_folds(const EvalOptions& o, const SplitPlan& plan) {
    if (o.fold) {
        if (*o.fold < 1 || static_cast<std::size_t>(*o.fold) > plan.folds.size())
            throw std::invalid_argument("--fold " + std::to_string(*o.fold) + ": the " + plan.protocol + " protocol has folds 1.." +
                                        std::to_string(plan.folds.size()));
        return {static_cast<std::size_t>(*o.fold - 1)};
    }
    if (!o.test_corpus.empty()) {
        if (plan.protocol != "corpus") throw std::invalid_argument("--test-corpus goes with --folds corpus");
        const std::string name(corpus_name(parse_corpus_name(o.test_corpus)));
        for (std::size_t f = 0; f < plan.folds.size(); ++f)
            if (plan.folds[f].name == name) return {f};
        throw std::invalid_argument("--test-corpus " + name + ": no such corpus among the data given (--data)");
    }
    std::vector<std::size_t> all(plan.folds.size());
    for (std::size_t f = 0; f < all.size(); ++f) all[f] = f;
    return all;
}

// Runs (or, with --resume, reads back) the folds asked for. A complete run gives its
// report; a partial one (--fold, --test-corpus) its fold document in `partial`.
std::optional<Outcome> cross_validate_config(const EvalOptions& o, const TrainingConfig& config, const ClipSet& clips,
                                             const std::string& protocol, std::optional<FoldDocument>& partial) {
    const SplitPlan plan = make_split(protocol, std::span(clips.items).first(clips.evaluated), config.seed);
    CrossValidationOptions cv;
    for (std::size_t i = clips.evaluated; i < clips.items.size(); ++i) cv.train_only.push_back(i);
    cv.fit.threads = o.data.threads;
    cv.fit.stop = &interrupt_flag();
    const nlohmann::json run = run_header(plan, config, clips, cv.train_only.size());
    const std::vector<std::size_t> wanted = selected_folds(o, plan);
    const std::filesystem::path resume_dir = o.resume;
    if (!o.resume.empty()) std::filesystem::create_directories(resume_dir);
    if (!o.save_models.empty()) {
        std::filesystem::create_directories(o.save_models);
        cv.on_model = [&](const std::string& fold, Model model, std::span<const std::size_t> train) {
            model.training = {{"config", to_json(config)}, {"protocol", plan.description}, {"fold", fold},
                              {"seed", config.seed}, {"train_speakers", speakers_of(clips, train)}};
            std::string name = protocol + "-" + fold;  // "speaker-fold-2", "corpus-nemo"
            std::replace(name.begin(), name.end(), ' ', '-');
            const std::filesystem::path file = std::filesystem::path(o.save_models) / (name + ".json");
            write_file_atomically(file, save_model(model));
            std::fprintf(stderr, "wrote %s\n", file.string().c_str());
        };
    }

    std::unique_ptr<ProgressBar> bar;
    cv.fit.on_progress = [&](const FitProgress& p) {
        char status[96];
        std::snprintf(status, sizeof status, "epoch %d/%d loss %.3f acc %.3f", p.epoch, p.epochs, p.loss, p.accuracy);
        bar->update((p.epoch - 1) + static_cast<double>(p.batch) / p.batches, p.epochs, status, p.eta_s);
    };
    FoldDocument done{run, {}};
    for (std::size_t f : wanted) {
        const std::string title = "fold " + std::to_string(f + 1) + "/" + std::to_string(plan.folds.size()) + " (" +
                                  plan.folds[f].name + ")";
        const std::filesystem::path saved = o.resume.empty() ? std::filesystem::path() : resume_file(resume_dir, protocol, f);
        if (!saved.empty() && std::filesystem::exists(saved)) {
            FoldDocument earlier = read_fold_document(saved);
            if (earlier.run != run || earlier.folds.size() != 1 || earlier.folds[0].index != f)
                throw std::runtime_error(saved.string() + " holds a fold of another run (protocol, config or data differ): "
                                         "give --resume another folder, or delete it to start afresh");
            std::fprintf(stderr, "%s: done earlier, read from %s\n", title.c_str(), saved.string().c_str());
            done.folds.push_back(std::move(earlier.folds[0]));
            continue;
        }
        bar = std::make_unique<ProgressBar>(title);
        // With --resume, a fold cut off mid-way continues from its last epoch.
        if (!saved.empty()) {
            cv.fit.checkpoint = resume_dir / (saved.stem().string() + ".checkpoint");
            cv.fit.resume = std::filesystem::exists(cv.fit.checkpoint);
        }
        FoldOutcome outcome = run_fold(config, clips, plan, f, cv);
        bar->finish();
        if (!saved.empty()) {
            write_file_atomically(saved, ser::cli::to_json(FoldDocument{run, {outcome}}).dump(1) + "\n");
            std::filesystem::remove(cv.fit.checkpoint);
        }
        done.folds.push_back(std::move(outcome));
    }
    if (wanted.size() < plan.folds.size()) {
        partial = std::move(done);
        return std::nullopt;
    }
    return cross_validation_outcome(combine_folds(plan, clips.labels, clips.condition_names, std::move(done.folds)), run);
}

Outcome merge_folds(const EvalOptions& o) {
    std::vector<std::filesystem::path> paths(o.merge.begin(), o.merge.end());
    FoldDocument merged = merge_fold_documents(paths);
    const SplitPlan plan = plan_from_header(merged.run);
    std::set<std::size_t> have;
    for (const auto& f : merged.folds) have.insert(f.index);
    std::string missing;
    for (std::size_t f = 0; f < plan.folds.size(); ++f)
        if (!have.count(f)) missing += (missing.empty() ? "" : ", ") + std::to_string(f + 1);
    if (!missing.empty())
        throw std::runtime_error("the files hold " + std::to_string(have.size()) + " of the " + std::to_string(plan.folds.size()) +
                                 " folds; missing: " + missing + " (run them with --fold K --out FILE)");
    const auto labels = merged.run.at("labels").get<std::vector<std::string>>();
    const auto conditions = merged.run.at("conditions").get<std::vector<std::string>>();
    return cross_validation_outcome(combine_folds(plan, labels, conditions, std::move(merged.folds)), merged.run);
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

    std::vector<TestCondition> conditions;
    std::vector<AugmentationPipeline> degrade;
    for (const auto& text : o.data.conditions) {
        conditions.push_back(parse_test_condition(text));
        degrade.emplace_back(conditions.back().degrade, model.features.sample_rate);
    }
    std::mutex mutex;
    std::vector<std::unique_ptr<Analyzer>> analyzers;
    ClipSettings clip;
    clip.timeline = false;
    clip.whole_clip_limit_s = 0.0;  // the file is in memory anyway
    // The clip's label, then its label under each test condition.
    auto classify = [&](const CorpusItem& item) {
        std::unique_ptr<Analyzer> analyzer;
        {
            std::lock_guard lock(mutex);
            if (!analyzers.empty()) {
                analyzer = std::move(analyzers.back());
                analyzers.pop_back();
            }
        }
        if (!analyzer) analyzer = std::make_unique<Analyzer>(model, model.features.sample_rate, clip);
        const std::vector<float> audio = load_audio(item.path, analyzer->model_rate());
        std::vector<int> labels = {analyzer->analyse(audio).result.label};
        for (std::size_t c = 0; c < degrade.size(); ++c)
            labels.push_back(analyzer->analyse(degrade[c].apply(audio, condition_seed(1, c, item))).result.label);
        std::lock_guard lock(mutex);
        analyzers.push_back(std::move(analyzer));
        return labels;
    };
    ProgressBar bar("evaluate");
    ParallelOptions parallel;
    parallel.threads = o.data.threads;
    parallel.on_progress = [&](const ProgressCounts& p) { bar.update(static_cast<double>(p.done), static_cast<double>(p.total)); };
    auto results = parallel_map<std::vector<int>>(std::span<const CorpusItem>(items), classify, parallel);
    bar.finish();

    std::vector<int> truth;
    std::vector<std::vector<int>> predicted(1 + conditions.size());  // clean, then per condition
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!results.results[i]) continue;
        truth.push_back(label_index(model.labels, items[i].label));
        for (std::size_t c = 0; c < predicted.size(); ++c) predicted[c].push_back((*results.results[i])[c]);
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
    const int classes = static_cast<int>(model.labels.size());
    Outcome out;
    out.report = make_report(plan, model.labels, {confusion_matrix(truth, predicted[0], classes)});
    out.extra = {{"model", std::filesystem::path(o.model).filename().string()}, {"left_out_trained_speakers", leaky}};
    std::vector<ConditionReport> reports;
    for (std::size_t c = 0; c < conditions.size(); ++c) {
        std::size_t changed = 0;
        for (std::size_t k = 0; k < truth.size(); ++k) changed += predicted[c + 1][k] != predicted[0][k];
        reports.push_back({conditions[c].name, make_report(plan, model.labels, {confusion_matrix(truth, predicted[c + 1], classes)}),
                           truth.empty() ? 0.0 : static_cast<double>(changed) / static_cast<double>(truth.size())});
    }
    add_conditions(reports, out);
    return out;
}

// --fold K / --test-corpus: the fold document goes to --out, a line per fold to stdout.
void report_partial(const EvalOptions& o, const FoldDocument& document) {
    if (!o.out.empty()) write_file_atomically(o.out, ser::cli::to_json(document).dump(1) + "\n");
    for (const auto& fold : document.folds) {
        const ClassificationScores s = score(fold.clips);
        std::printf("fold %zu (%s): %lld test clips, accuracy %.3f, UAR %.3f (clip level)\n", fold.index + 1,
                    fold.summary.name.c_str(), static_cast<long long>(fold.clips.total()), s.accuracy, s.uar);
    }
    std::printf("%s\n", o.out.empty() ? "(pass --out FILE to keep this fold for ser eval --merge)"
                                      : ("wrote " + o.out + "; combine the folds with ser eval --merge FILES --out REPORT").c_str());
}

void run_eval(const EvalOptions& o) {
    std::vector<Outcome> outcomes;
    if (!o.merge.empty()) {
        if (!o.config.empty() || !o.model.empty() || !o.data.data.empty())
            throw std::invalid_argument("--merge reads fold files only: leave out --config, --model and --data");
        outcomes.push_back(merge_folds(o));
    } else if (o.config.empty() == o.model.empty()) {
        throw std::invalid_argument("give exactly one of --config (cross-validate a recipe), --model (score a model) or --merge FILES");
    } else if (o.data.data.empty()) {
        throw std::invalid_argument("no data given: pass --data CORPUS=DIR (e.g. ravdess=../shared/data/ravdess)");
    } else if (!o.model.empty()) {
        if (!o.resume.empty() || !o.save_models.empty())
            throw std::invalid_argument("--resume and --save-models keep the folds of a cross-validation (--config); a given "
                                        "model has none: leave them out");
        if (!o.adapt_shots.empty())
            return run_adapt_eval_model(o.data, o.model, {o.adapt_shots, o.adapt_methods, "model", o.out, o.format == "json", {}, o.adapt_steps});
        outcomes.push_back(score_model(o));
    } else {
        TrainingConfig config = read_training_config(o.config);
        if (o.seed) config.seed = *o.seed;
        if (o.epochs) config.epochs = *o.epochs;
        if (o.merge_calm) config.labels.merge_calm_into_neutral = true;
        const auto protocols = split_list(o.folds);
        if ((o.fold || !o.test_corpus.empty()) && protocols.size() != 1)
            throw std::invalid_argument("--fold and --test-corpus pick a fold of one protocol: give --folds a single one");
        const ClipSet clips = load_data(o.data, config);
        if (!o.adapt_shots.empty()) {
            if (!o.save_models.empty())
                throw std::invalid_argument("--save-models: with --adapt-shots, --resume DIR keeps each fold's model (and "
                                            "reads it back on a rerun); use that");
            for (const auto& protocol : protocols) {
                const std::string out = o.out.empty() ? "" : svg_path(o.out, protocol, protocols.size() > 1);
                run_adapt_eval(o.data, config, clips, {o.adapt_shots, o.adapt_methods, protocol, out, o.format == "json", o.resume, o.adapt_steps});
            }
            return;
        }
        for (const auto& protocol : protocols) {
            std::optional<FoldDocument> partial;
            if (auto outcome = cross_validate_config(o, config, clips, protocol, partial)) outcomes.push_back(std::move(*outcome));
            else return report_partial(o, *partial);
        }
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
    if (!o.out.empty()) write_file_atomically(o.out, json_text(document, 2) + "\n");
    if (o.format == "json") {
        std::printf("%s\n", json_text(document, 2).c_str());
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
    add_data_options(*cmd, o->data, false);
    cmd->add_option("--config", o->config, "Training config to cross-validate (one model per fold)")->check(CLI::ExistingFile);
    cmd->add_option("--model", o->model, "Model file to score on the data")->check(CLI::ExistingFile);
    cmd->add_option("--folds", o->folds,
                    "Protocols, comma-separated: speaker (gender-balanced speaker folds), loso, corpus, random "
                    "(80/20, speakers overlap: leaky, shown labelled)");
    cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--svg", o->svg, "Write the confusion matrix picture here");
    cmd->add_option("--out", o->out, "Also write the JSON report here")->check(writable_file());
    cmd->add_option("--train-also", o->data.train_also,
                    "Extra corpus folder (CORPUS=DIR) added to the training side of every fold, never tested");
    cmd->add_option("--condition", o->data.conditions,
                    "Also test every fold on degraded audio (noise is pink, white is white noise; pad frames the clip with "
                    "digital silence): " + std::string(condition_forms) + "; repeatable");
    cmd->add_flag("--shared-labels", o->data.shared_labels,
                  "Keep only the labels every corpus given has (cross-corpus comparisons)");
    cmd->add_option("--seed", o->seed, "Seed (overrides the config's)");
    cmd->add_option("--epochs", o->epochs, "Epochs (overrides the config's)")->check(CLI::PositiveNumber);
    cmd->add_option("--labels", o->data.keep_labels,
                    "Keep only clips of these labels, comma-separated (e.g. angry,happy,sad,neutral); the others are left out")
        ->delimiter(',');
    cmd->add_flag("--merge-calm", o->merge_calm, "Fold calm into neutral (overrides the config's labels.merge_calm_into_neutral)");
    cmd->add_option("--test-corpus", o->test_corpus, "With --folds corpus: run only the fold that tests this corpus");
    cmd->add_option("--fold", o->fold, "Run only fold K (1-based) of the protocol; --out then gets the fold's result for --merge")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--merge", o->merge, "Combine fold results (from --fold K --out FILE, or a --resume folder) into the full report")
        ->check(CLI::ExistingFile);
    cmd->add_option("--resume", o->resume,
                    "Keep each finished fold's result in this folder and skip the folds already there on a rerun (with "
                    "--adapt-shots: each fold's model, so a rerun, or one of other methods, only adapts)");
    cmd->add_option("--save-models", o->save_models,
                    "Write each fold's model into this folder as PROTOCOL-FOLD.json, e.g. corpus-nemo.json (model files "
                    "ser predict takes, with the speakers each trained on), "
                    "for ensembles or a look inside; a fold read back with --resume is not retrained, so not written");
    cmd->add_option("--adapt-shots", o->adapt_shots,
                    "Measure few-shot adaptation instead: K clips per label of each held-out speaker (with --config: "
                    "each fold's model; with --model: that model, for each speaker it never trained on), e.g. 0,1,2,4 "
                    "(0: the speaker's normalisation only, no labels)");
    cmd->add_option("--adapt-method", o->adapt_methods, "With --adapt-shots: adaptation methods, comma-separated (see ser adapt)")
        ->capture_default_str();
    cmd->add_option("--adapt-steps", o->adapt_steps, "With --adapt-shots: optimisation steps of each adaptation (see ser adapt --steps)")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
    cmd->callback([o] { run_eval(*o); });
}

}  // namespace ser::cli
