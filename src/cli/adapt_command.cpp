// ser adapt: fine-tune a model on a handful of labelled clips of one speaker (the core's
// adapt_model) and write the adapted model beside the base, which is never touched.

#include "cli/commands.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "analysis/voice_activity.h"
#include "cli/clip_labels.h"
#include "cli/progress_bar.h"
#include "features/feature_extractor.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"
#include "model/adapt.h"
#include "model/model_input.h"
#include "training/dataset.h"
#include "training/training_config.h"

namespace ser::cli {

namespace {

struct AdaptCommandOptions {
    std::string model;
    std::string labels;
    std::string data;
    std::string speaker;
    std::string out;
    AdaptOptions adapt;
    bool force = false;
};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The clips of one speaker of a corpus folder, labelled by the corpus's own conventions.
std::vector<LabelledClip> corpus_clips(const AdaptCommandOptions& o, const Model& model) {
    LabelOptions label_options;
    if (model.training.contains("config")) label_options = training_config_from_json(model.training.at("config")).labels;
    const ScannedData scanned = scan_sources({parse_data_source(o.data)}, label_options);
    std::set<std::string> speakers;
    for (const auto& item : scanned.items) speakers.insert(item.speaker);
    if (o.speaker.empty() && speakers.size() > 1)
        throw std::invalid_argument("--data holds " + std::to_string(speakers.size()) +
                                    " speakers; adaptation is for one: choose with --speaker (one of " +
                                    joined({speakers.begin(), speakers.end()}) + ")");
    if (!o.speaker.empty() && !speakers.count(o.speaker))
        throw std::invalid_argument("--speaker " + o.speaker + " is not in --data; its speakers are " +
                                    joined({speakers.begin(), speakers.end()}));
    std::vector<LabelledClip> clips;
    for (const auto& item : scanned.items)
        if (o.speaker.empty() || item.speaker == o.speaker) clips.push_back({item.path, item.label});
    return clips;
}

std::vector<AdaptClip> clip_features(const std::vector<LabelledClip>& listed, const Model& model) {
    FeatureExtractor extractor(model.features);
    std::vector<AdaptClip> clips;
    for (const auto& c : listed) {
        const auto at = std::find(model.labels.begin(), model.labels.end(), c.label);
        if (at == model.labels.end())
            throw std::invalid_argument(c.path.string() + ": label \"" + c.label + "\" is not one of the model's labels (" +
                                        joined(model.labels) + ")");
        AdaptClip clip;
        clip.label = static_cast<int>(at - model.labels.begin());
        const std::vector<float> pcm = load_audio(c.path, model.features.sample_rate);
        // Silence or a steady noise labelled "happy" would teach the head that it is happy.
        if (const std::string why = why_not_speech(pcm, model.features.sample_rate); !why.empty())
            throw std::invalid_argument(c.path.string() + " (\"" + c.label + "\") " + why +
                                        "; or leave it out of the list");
        try {
            analysed_clip_features(model, extractor, pcm, clip.features);
        } catch (const std::exception& e) {
            throw std::runtime_error(c.path.string() + ": " + e.what());
        }
        clips.push_back(std::move(clip));
    }
    return clips;
}

void run_adapt(AdaptCommandOptions o) {
    if (o.labels.empty() == o.data.empty()) throw std::invalid_argument("give exactly one of --labels clips.csv or --data CORPUS=DIR");
    namespace fs = std::filesystem;
    if (fs::weakly_canonical(o.out) == fs::weakly_canonical(o.model))
        throw std::invalid_argument("--out is the base model itself: write the adapted model to another file, the base is never overwritten");
    const auto start = std::chrono::steady_clock::now();
    const Model base = load_model(read_text_file(o.model));
    const std::vector<AdaptClip> clips = clip_features(o.labels.empty() ? corpus_clips(o, base) : read_clip_labels(o.labels), base);

    const AdaptCheck check = check_adapt_clips(base, clips);
    for (const auto& w : check.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    o.adapt.base_name = fs::path(o.model).filename().string();
    ProgressBar bar("adapt");
    o.adapt.on_progress = [&](int done, int total) { bar.update(done, total); };
    const AdaptResult r = adapt_model(base, clips, o.adapt);
    bar.finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::string covered;
    for (const auto& [label, n] : r.model.adaptation->clips_per_label) covered += (covered.empty() ? "" : ", ") + label + " " + std::to_string(n);
    std::printf("%zu clips (%s), method %s\n", clips.size(), covered.c_str(), o.adapt.method.c_str());
    if (o.adapt.leave_one_out) {
        std::printf("leave-one-out on these clips, UAR over their labels: base %.3f, adapted %.3f; mean log-likelihood "
                    "of their labels by strength:",
                    r.base_uar, r.adapted_uar);
        for (std::size_t i = 0; i < o.adapt.strengths.size(); ++i)
            std::printf(" %g: %.3f", o.adapt.strengths[i], r.strength_log_likelihoods[i]);
        std::printf("\n");
    }
    if (!r.better_or_equal && !o.force)
        throw std::runtime_error("the adapted model did worse than the base on your own clips (leave-one-out mean "
                                 "log-likelihood of their labels " + std::to_string(r.adapted_log_likelihood) + " < " +
                                 std::to_string(r.base_log_likelihood) +
                                 "): keep using the base model; nothing was written. Record more clips (two or more per "
                                 "label) and try again, or write it anyway with --force");
    // The strength leave-one-out chose; --force past a verdict of 0 writes the full adaptation.
    const double strength = r.better_or_equal ? r.strength : 1.0;
    const std::string text = save_model(at_strength(base, r.model, strength));
    (void)load_model(text);  // the selftest of what is about to be written
    write_file_atomically(o.out, text);
    std::printf("wrote %s (adapted from %s at strength %g) in %.1f s\n", o.out.c_str(), o.model.c_str(), strength, seconds);
}

}  // namespace

void add_adapt_command(CLI::App& app) {
    auto o = std::make_shared<AdaptCommandOptions>();
    CLI::App* cmd = app.add_subcommand("adapt", "Adapt a model to one speaker from a handful of their labelled clips");
    cmd->add_option("--model", o->model, "The base model (never modified)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--labels", o->labels, "CSV with the header path,label; relative paths from the CSV's folder")
        ->check(CLI::ExistingFile);
    cmd->add_option("--data", o->data, "Or a corpus folder as CORPUS=DIR (with --speaker when it holds several)");
    cmd->add_option("--speaker", o->speaker, "With --data: the speaker to adapt to, e.g. ravdess:07");
    cmd->add_option("--out", o->out, "Where to write the adapted model")->required()->check(writable_file());
    cmd->add_option("--method", o->adapt.method, "norm, bias, head, head2, norm+bias, norm+head, norm+head2 (docs/ADAPTATION.md)")
        ->capture_default_str();
    cmd->add_option("--steps", o->adapt.steps, "Optimisation steps")->check(CLI::Range(1, 10000))->capture_default_str();
    cmd->add_option("--seed", o->adapt.seed, "Seed of the dropout masks")->capture_default_str();
    cmd->add_flag("--force", o->force, "Write the adapted model even when it did worse than the base in leave-one-out");
    cmd->callback([o] { run_adapt(*o); });
}

}  // namespace ser::cli
