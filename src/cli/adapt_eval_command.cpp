#include "cli/adapt_eval_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

#include "cli/fold_files.h"
#include "cli/interrupt.h"
#include "cli/progress_bar.h"
#include "io/atomic_file.h"
#include "model/model.h"
#include "training/adapt_eval.h"
#include "training/splits.h"
#include "training/training_config.h"

namespace ser::cli {
namespace {

std::vector<std::string> items_of(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::vector<int> shots_of(const std::string& text) {
    std::vector<int> out;
    for (const auto& item : items_of(text)) {
        std::size_t used = 0;
        int k = -1;
        try {
            k = std::stoi(item, &used);
        } catch (const std::exception&) {
        }
        if (used != item.size() || k < 0 || k > 64)
            throw std::invalid_argument("--adapt-shots: \"" + item + "\" is not a clip count in [0, 64] (e.g. 0,1,2,4)");
        out.push_back(k);
    }
    if (out.empty()) throw std::invalid_argument("--adapt-shots needs at least one count, e.g. 1,2,4");
    return out;
}

nlohmann::json to_json(const AdaptEvalResult& r, const std::string& protocol, const AdaptOptions& adapt) {
    nlohmann::json summary = nlohmann::json::array(), speakers = nlohmann::json::array();
    for (const auto& s : r.summary())
        summary.push_back({{"method", s.method}, {"shots", s.shots}, {"speakers", s.speakers}, {"uar_before", s.before_uar},
                           {"uar_adapted", s.adapted_uar}, {"uar_guarded", s.guarded_uar},
                           {"worst_delta", s.worst_delta}, {"worst_guarded_delta", s.worst_guarded_delta},
                           {"kept_base", s.kept_base}, {"uar_likelihood_guarded", s.likely_uar},
                           {"worst_likelihood_guarded_delta", s.worst_likely_delta},
                           {"likelihood_kept_base", s.likely_kept_base}});
    for (const auto& s : r.speakers)
        speakers.push_back({{"fold", s.fold}, {"speaker", s.speaker}, {"method", s.method}, {"shots", s.shots},
                            {"adapt_clips", s.adapt_clips}, {"test_clips", s.test_clips}, {"uar_before", s.before_uar},
                            {"uar_adapted", s.adapted_uar}, {"uar_guarded", s.guarded_uar}, {"kept_base", s.kept_base},
                            {"uar_likelihood_guarded", s.likely_uar}, {"likelihood_kept_base", s.likely_kept_base},
                            {"strength", s.strength},
                            {"strength_log_likelihoods", s.strength_log_likelihoods},
                            {"strength_uars", s.strength_uars},
                            {"leave_one_out", {{"uar_base", s.loo_base_uar}, {"uar_adapted", s.loo_adapted_uar},
                                               {"log_likelihood_base", s.loo_base_log_likelihood},
                                               {"log_likelihood_adapted", s.loo_adapted_log_likelihood}}},
                            {"seconds", s.seconds}});
    return {{"protocol", protocol},
            {"measure", "few-shot adaptation per held-out speaker: adapt on one statement/sentence, test on the others"},
            {"adapt", {{"steps", adapt.steps}, {"learning_rate", adapt.learning_rate}, {"anchor", adapt.anchor},
                       {"strengths", adapt.strengths}}},
            {"summary", summary}, {"speakers", speakers}, {"skipped", r.skipped}};
}

void print_text(const AdaptEvalResult& r, const std::string& protocol) {
    std::printf("few-shot adaptation, %s (per held-out speaker: adapt on one statement, test on the other)\n",
                protocol == "model" ? "the given model" : (protocol + " folds").c_str());
    std::printf("  (guarded: the base is kept when leave-one-out on the adaptation clips says worse, by UAR or by the\n"
                "   log-likelihood of their labels (LL, the guard ser adapt and the page use); worst: the lowest\n"
                "   speaker's delta; kept: how often the base was kept; K = 0 uses no labels: norm, the speaker's\n"
                "   input statistics; baseline, the model's lean on the voice learnt from the adaptation side and\n"
                "   divided out; baseline-neutral, a voice in one mood: learnt from and tested on neutral clips only, its\n"
                "   \"UAR\" the share of them still called neutral)\n");
    std::printf("  %-16s %3s %8s  %6s  %7s  %5s  %7s  %5s  %4s  %7s  %5s  %4s\n", "method", "K", "speakers", "before",
                "adapted", "worst", "UAR-grd", "worst", "kept", "LL-grd", "worst", "kept");
    for (const auto& s : r.summary())
        std::printf("  %-16s %3d %8d  %6.3f  %7.3f  %+5.2f  %7.3f  %+5.2f  %4d  %7.3f  %+5.2f  %4d\n", s.method.c_str(), s.shots,
                    s.speakers, s.before_uar, s.adapted_uar, s.worst_delta, s.guarded_uar, s.worst_guarded_delta, s.kept_base,
                    s.likely_uar, s.worst_likely_delta, s.likely_kept_base);
    // Per speaker, the guard ser adapt and the page use (likelihood); the UAR guard's is in the JSON.
    std::printf("per speaker (UAR before -> adapted -> LL-guarded, its delta):\n");
    for (const auto& s : r.speakers)
        std::printf("  %-12s %-16s K=%d  %.3f -> %.3f -> %.3f  %+.3f%s  (%d adapt, %d test clips, %.2f s)\n", s.speaker.c_str(),
                    s.method.c_str(), s.shots, s.before_uar, s.adapted_uar, s.likely_uar, s.likely_uar - s.before_uar,
                    s.likely_kept_base ? "  kept base" : "", s.adapt_clips, s.test_clips, s.seconds);
    for (const auto& s : r.skipped) std::printf("  skipped %s\n", s.c_str());
}

// Adaptation and scoring work in the model's label indices; the data's are its own labels.
void use_model_labels(ClipSet& clips, const Model& model) {
    for (int& label : clips.label) {
        const std::string& name = clips.labels[static_cast<std::size_t>(label)];
        const auto at = std::find(model.labels.begin(), model.labels.end(), name);
        if (at == model.labels.end())
            throw std::invalid_argument("the data has label \"" + name + "\", which this model does not know: pick labels it has with --labels");
        label = static_cast<int>(at - model.labels.begin());
    }
    clips.labels = model.labels;
}

void report(const AdaptEvalResult& r, const std::string& protocol, const AdaptOptions& adapt, const AdaptEvalRequest& request) {
    const nlohmann::json j = to_json(r, protocol, adapt);
    if (!request.out.empty()) write_file_atomically(request.out, j.dump(2) + "\n");
    if (request.json) std::printf("%s\n", j.dump(2).c_str());
    else print_text(r, protocol);
}

// --resume DIR: each fold's model is written to DIR with the run's header (protocol,
// config, data) and read back by a later run of the same header, which adapts without
// training; a model of another run is refused rather than measured.
void keep_fold_models(const std::filesystem::path& dir, const SplitPlan& plan, const TrainingConfig& config,
                      const ClipSet& clips, AdaptEvalOptions& o) {
    std::filesystem::create_directories(dir);
    const nlohmann::json run = run_header(plan, config, clips, clips.items.size() - clips.evaluated);
    auto file_of = [dir, protocol = plan.protocol](std::size_t f) {
        return dir / ("adapt-" + protocol + "-fold-" + std::to_string(f + 1) + ".model.json");
    };
    o.stored_model = [file_of, run](std::size_t f) -> std::optional<Model> {
        const std::filesystem::path file = file_of(f);
        if (!std::filesystem::exists(file)) return std::nullopt;
        Model model = load_model(read_text_file(file));
        if (!model.training.contains("run") || model.training.at("run") != run)
            throw std::runtime_error(file.string() + " holds a fold model of another run (protocol, config or data "
                                     "differ): give --resume another folder, or delete it to start afresh");
        std::fprintf(stderr, "fold %zu: model trained earlier, read from %s\n", f + 1, file.string().c_str());
        return model;
    };
    o.on_model = [file_of, run](std::size_t f, const Model& trained) {
        const Model model{trained.labels,  trained.features, trained.normalisation, trained.analysis, trained.network.clone(),
                          {{"run", run}, {"fold", f + 1}}, trained.selftest, trained.adaptation};
        write_file_atomically(file_of(f), save_model(model));
    };
}

}  // namespace

void run_adapt_eval(const DataOptions& data, const TrainingConfig& config, const ClipSet& clips, const AdaptEvalRequest& request) {
    AdaptEvalOptions o;
    o.shots = shots_of(request.shots);
    o.methods = items_of(request.methods);
    o.adapt.steps = request.steps;
    for (std::size_t i = clips.evaluated; i < clips.items.size(); ++i) o.train_only.push_back(i);
    o.fit.threads = data.threads;
    o.fit.stop = &interrupt_flag();
    std::unique_ptr<ProgressBar> bar;
    o.on_fold = [&](int fold, int folds, const std::string& name) {
        bar = std::make_unique<ProgressBar>("fold " + std::to_string(fold) + "/" + std::to_string(folds) + " (" + name + ")");
    };
    o.fit.on_progress = [&](const FitProgress& p) {
        bar->update((p.epoch - 1) + static_cast<double>(p.batch) / p.batches, p.epochs, "epoch " + std::to_string(p.epoch), p.eta_s);
    };
    const SplitPlan plan = make_split(request.protocol, std::span(clips.items).first(clips.evaluated), config.seed);
    if (!request.resume.empty()) keep_fold_models(request.resume, plan, config, clips, o);
    const AdaptEvalResult r = adapt_evaluate(config, clips, plan, o);
    if (bar) bar->finish();
    report(r, request.protocol, o.adapt, request);
}

void run_adapt_eval_model(const DataOptions& data, const std::string& model_path, const AdaptEvalRequest& request) {
    if (!data.train_also.empty()) throw std::invalid_argument("--train-also: a given model trains on nothing; leave it out");
    const Model model = load_model(read_text_file(model_path));
    if (!model.training.contains("config"))
        throw std::invalid_argument(model_path + " records no training config (training.config): --adapt-shots with "
                                    "--model needs a model made by ser train, or use --config to cross-validate a recipe");
    TrainingConfig config = training_config_from_json(model.training.at("config"));
    config.augmented_copies = 0;  // nothing trains here
    ClipSet clips = load_data(data, config);
    use_model_labels(clips, model);
    std::set<std::string> trained_on;
    if (model.training.contains("train_speakers"))
        for (const auto& s : model.training.at("train_speakers")) trained_on.insert(s.get<std::string>());
    std::vector<std::size_t> items;
    for (std::size_t i = 0; i < clips.items.size(); ++i)
        if (!trained_on.count(clips.items[i].speaker)) items.push_back(i);
    if (items.size() < clips.items.size())
        std::fprintf(stderr, "note: %zu files of speakers this model was trained on are left out\n", clips.items.size() - items.size());
    if (items.empty()) throw std::runtime_error("no speakers left to adapt to: every speaker given was in the model's training data");

    AdaptEvalOptions o;
    o.shots = shots_of(request.shots);
    o.methods = items_of(request.methods);
    o.adapt.steps = request.steps;
    o.fit.threads = data.threads;
    ProgressBar bar("adapt");
    o.on_speaker = [&](int done, int speakers) {
        bar.update(done, speakers, std::to_string(done) + "/" + std::to_string(speakers) + " speakers");
    };
    const AdaptEvalResult r = adapt_evaluate_model(model, config, clips, items, o);
    bar.finish();
    report(r, "model", o.adapt, request);
}

}  // namespace ser::cli
