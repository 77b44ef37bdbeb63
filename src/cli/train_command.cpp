// ser train: fit a model on all the given data (a speaker-held-out part of it validates
// each epoch for early stopping and calibration) and export it as one model file.

#include "cli/commands.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "cli/data_options.h"
#include "cli/interrupt.h"
#include "cli/progress_bar.h"
#include "io/atomic_file.h"
#include "nn/thread_pool.h"
#include "ser/version.h"
#include "training/calibration.h"
#include "training/evaluate.h"
#include "training/fit.h"
#include "training/validation_split.h"

namespace ser::cli {

namespace {

struct TrainOptions {
    DataOptions data;
    std::string config;
    std::string out;
    std::string checkpoint;
    std::string metrics;
    std::optional<std::uint64_t> seed;
    std::optional<int> epochs;
    bool resume = false;
    std::string command_line;
};

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

nlohmann::json data_summary(const ClipSet& clips) {
    struct Tally {
        Corpus corpus;
        int files = 0;
        std::set<std::string> speakers;
    };
    std::map<std::string, Tally> per_corpus;
    std::map<std::string, int> per_label;
    for (std::size_t i = 0; i < clips.items.size(); ++i) {
        const Corpus corpus = clips.items[i].corpus;
        auto& entry = per_corpus.try_emplace(std::string(corpus_name(corpus)), Tally{corpus, 0, {}}).first->second;
        ++entry.files;
        entry.speakers.insert(clips.items[i].speaker);
        ++per_label[clips.labels[static_cast<std::size_t>(clips.label[i])]];
    }
    nlohmann::json corpora = nlohmann::json::array();
    for (const auto& [name, entry] : per_corpus)
        corpora.push_back({{"corpus", name}, {"language", corpus_language(entry.corpus)}, {"files", entry.files},
                           {"speakers", entry.speakers.size()}});
    return {{"corpora", corpora}, {"files_per_label", per_label}, {"unreadable_files", clips.unreadable.size()}};
}

void print_epoch(const EpochRecord& r) {
    std::fprintf(stderr, "epoch %3d  lr %.2e  train loss %.4f acc %.3f", r.epoch, r.learning_rate, r.train_loss, r.train_accuracy);
    if (std::isfinite(r.validation_loss))
        std::fprintf(stderr, "  | validation loss %.4f acc %.3f UAR %.3f", r.validation_loss, r.validation_accuracy, r.validation_uar);
    if (std::isfinite(r.adversary_loss)) std::fprintf(stderr, "  | adversary loss %.3f", r.adversary_loss);
    std::fprintf(stderr, "  (%s)\n", format_duration(r.seconds).c_str());
}

void run_train(const TrainOptions& o) {
    TrainingConfig config = read_training_config(o.config);
    if (o.seed) config.seed = *o.seed;
    if (o.epochs) config.epochs = *o.epochs;
    nlohmann::json embedded_metrics;
    if (!o.metrics.empty()) embedded_metrics = nlohmann::json::parse(read_text_file(o.metrics));

    const ClipSet clips = load_data(o.data, config);
    std::vector<std::size_t> all(clips.items.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    std::vector<std::size_t> train = all, validation;
    bool speaker_held_out = false;
    if (config.validation_fraction > 0.0) {
        ValidationSplit vs = validation_split(clips.items, all, config.validation_fraction, config.seed);
        train = std::move(vs.train);
        validation = std::move(vs.validation);
        speaker_held_out = vs.speaker_held_out;
    }
    std::fprintf(stderr, "training on %zu clips, validating on %zu (%s), %zu labels\n", train.size(), validation.size(),
                 validation.empty() ? "none" : speaker_held_out ? "speakers held out" : "files held out",
                 clips.labels.size());

    FitOptions fit_options;
    fit_options.threads = o.data.threads;
    fit_options.checkpoint = o.checkpoint.empty() ? o.out + ".checkpoint" : o.checkpoint;
    fit_options.resume = o.resume;
    fit_options.stop = &interrupt_flag();
    ProgressBar bar("train");
    fit_options.on_progress = [&](const FitProgress& p) {
        char status[128];
        std::snprintf(status, sizeof status, "epoch %d/%d batch %d/%d loss %.4f acc %.3f", p.epoch, p.epochs, p.batch,
                      p.batches, p.loss, p.accuracy);
        bar.update((p.epoch - 1) + static_cast<double>(p.batch) / p.batches, p.epochs, status, p.eta_s);
    };
    fit_options.on_epoch = [&](const EpochRecord& r) {
        bar.clear();
        print_epoch(r);
    };
    FitResult fitted = fit(config, clips, train, validation, fit_options);
    if (fitted.interrupted) {
        bar.finish("interrupted");
        std::fprintf(stderr, "interrupted: the state is saved in %s; continue with the same command and --resume\n",
                     fit_options.checkpoint.string().c_str());
        throw CLI::RuntimeError(130);
    }

    const InputShape shape = input_shape(config, clips);
    double temperature = 1.0;
    nlohmann::json validation_record = {{"files", validation.size()}, {"speaker_held_out", speaker_held_out},
                                        {"speakers", speakers_of(clips, validation)}, {"best_epoch", fitted.best_epoch}};
    if (!validation.empty()) {
        nn::ThreadPool pool(o.data.threads);
        const ClipScores val = score_clips(fitted.network, fitted.normalisation, shape, config, clips, validation, &pool);
        // Fitted on the clips' own windows (training/evaluate.h, Framing): what live classifies.
        const ClipScores bare = score_clips(fitted.network, fitted.normalisation, shape, config, clips, validation, &pool,
                                            1.0f, -1, Framing::bare);
        temperature = fit_temperature(bare.window_logits, bare.classes, window_truth(clips, validation, bare)).temperature;
        if (fitted.averaged_epochs > 0) {  // the model is no epoch's: score the average itself
            const ClassificationScores scores = clip_scores(clips, validation, val.clip_probabilities);
            validation_record["accuracy"] = scores.accuracy;
            validation_record["uar"] = scores.uar;
            validation_record["averaged_epochs"] = fitted.averaged_epochs;
        } else {
            const EpochRecord& best = fitted.history.at(static_cast<std::size_t>(fitted.best_epoch - 1));
            validation_record["accuracy"] = best.validation_accuracy;
            validation_record["uar"] = best.validation_uar;
        }
    }
    nlohmann::json history = nlohmann::json::array();
    for (const auto& r : fitted.history) history.push_back(to_json(r));

    Model model = model_of(config, clips, fitted);
    model.training = {{"config", to_json(config)},
                      {"config_file", std::filesystem::path(o.config).filename().string()},
                      {"data", data_summary(clips)},
                      {"train_speakers", speakers_of(clips, train)},
                      {"validation", validation_record},
                      {"history", history},
                      {"early_stopped", fitted.early_stopped},
                      {"seed", config.seed},
                      {"threads", o.data.threads},
                      {"calibration_temperature", temperature},
                      {"source_revision", source_revision},
                      {"ser_version", version},
                      {"date", utc_now()},
                      {"command", o.command_line}};
    if (!embedded_metrics.is_null()) model.training["metrics"] = embedded_metrics;

    const std::string text = save_model(model);
    write_file_atomically(o.out, text);
    std::error_code ignored;
    std::filesystem::remove(fit_options.checkpoint, ignored);
    const std::string chosen = fitted.averaged_epochs > 0 ? "the mean of the last " + std::to_string(fitted.averaged_epochs) + " epochs"
                                                          : "best epoch " + std::to_string(fitted.best_epoch);
    std::fprintf(stderr, "wrote %s (%zu parameters, %.0f KB), %s, calibration temperature %.2f\n", o.out.c_str(),
                 model.network.parameter_count(), static_cast<double>(text.size()) / 1024.0, chosen.c_str(), temperature);
}

}  // namespace

void add_train_command(CLI::App& app, const std::string& command_line) {
    auto o = std::make_shared<TrainOptions>();
    o->command_line = command_line;
    CLI::App* cmd = app.add_subcommand("train", "Train a model on emotional-speech corpora and export it as a model file");
    add_data_options(*cmd, o->data);
    cmd->add_option("--config", o->config, "Training config, e.g. training/configs/default.json")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", o->out, "Model file to write (written atomically)")->required()->check(writable_file());
    cmd->add_option("--seed", o->seed, "Seed (overrides the config's)");
    cmd->add_option("--epochs", o->epochs, "Epochs (overrides the config's)")->check(CLI::PositiveNumber);
    cmd->add_option("--checkpoint", o->checkpoint, "Checkpoint file (default: OUT.checkpoint)");
    cmd->add_flag("--resume", o->resume, "Continue an interrupted run from its checkpoint");
    cmd->add_option("--metrics", o->metrics, "A `ser eval --format json` report to embed in the model file")->check(CLI::ExistingFile);
    cmd->callback([o] { run_train(*o); });
}

}  // namespace ser::cli
