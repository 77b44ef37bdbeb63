// ser predict: label and probabilities per file, and with --timeline per analysis window.

#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "analysis/clip_analysis.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"
#include "model/json_text.h"

namespace ser::cli {

namespace {

struct PredictOptions {
    std::string model;
    std::vector<std::string> files;
    bool timeline = false;
    std::string format = "text";
};

nlohmann::json probabilities_json(const std::vector<std::string>& labels, const std::vector<float>& p) {
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t i = 0; i < labels.size(); ++i) j[labels[i]] = p[i];
    return j;
}

std::string top_text(const std::vector<std::string>& labels, const std::vector<float>& p, std::size_t count) {
    std::vector<std::size_t> order(p.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    std::string text;
    for (std::size_t k = 0; k < std::min(count, order.size()); ++k) {
        char item[64];
        std::snprintf(item, sizeof item, "%s%s %.2f", k ? ", " : "", labels[order[k]].c_str(), p[order[k]]);
        text += item;
    }
    return text;
}

void run_predict(const PredictOptions& o) {
    const Model model = load_model(read_text_file(o.model));
    ClipAnalyzer analyzer(model);
    const auto& labels = analyzer.labels();
    nlohmann::json results = nlohmann::json::array();
    int failures = 0;
    for (const auto& file : o.files) {
        nlohmann::json entry = {{"file", file}};
        try {
            const ClipResult r = analyzer.analyse(load_audio(file, analyzer.sample_rate()), o.timeline);
            entry["label"] = labels[static_cast<std::size_t>(r.label)];
            entry["probabilities"] = probabilities_json(labels, r.probabilities);
            if (o.timeline) {
                nlohmann::json timeline = nlohmann::json::array();
                for (const auto& w : r.windows)
                    timeline.push_back({{"start_s", w.start_s}, {"end_s", w.end_s}, {"speech", w.activity.is_speech},
                                        {"probabilities", probabilities_json(labels, w.probabilities)}});
                entry["timeline"] = timeline;
            }
            if (o.format == "text") {
                std::printf("%s\t%s\t(%s)\n", file.c_str(), labels[static_cast<std::size_t>(r.label)].c_str(),
                            top_text(labels, r.probabilities, 3).c_str());
                for (const auto& w : r.windows)
                    std::printf("  %6.2f-%6.2f s  %-7s %s\n", w.start_s, w.end_s, w.activity.is_speech ? "speech" : "silence",
                                top_text(labels, w.probabilities, 3).c_str());
            }
        } catch (const std::exception& e) {
            ++failures;
            entry["error"] = e.what();
            std::fprintf(stderr, "ser predict: %s\n", e.what());
        }
        results.push_back(entry);
    }
    if (o.format == "json") std::printf("%s\n", json_text(results, 2).c_str());
    if (failures) throw CLI::RuntimeError(1);
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto o = std::make_shared<PredictOptions>();
    CLI::App* cmd = app.add_subcommand("predict", "Classify audio files with a trained model");
    cmd->add_option("--model", o->model, "Model file (e.g. weights/default.json)")->required()->check(CLI::ExistingFile);
    cmd->add_option("files", o->files, "Audio files (wav, flac, ogg, ...)")->required();
    cmd->add_flag("--timeline", o->timeline, "Also give probabilities per analysis window");
    cmd->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([o] { run_predict(*o); });
}

}  // namespace ser::cli
