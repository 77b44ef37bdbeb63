#include "cli/data_options.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "io/atomic_file.h"
#include "training/splits.h"

namespace ser::cli {

namespace {

std::filesystem::path default_cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "ser" / "features";
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "ser" / "features";
    return std::filesystem::temp_directory_path() / "ser-features";
}

template <class List>
void warn_files(const char* what, const List& files) {
    if (files.empty()) return;
    std::fprintf(stderr, "warning: %zu %s:\n", files.size(), what);
    std::size_t shown = 0;
    for (const auto& f : files) {
        if (++shown > 10) {
            std::fprintf(stderr, "  ... and %zu more\n", files.size() - 10);
            break;
        }
        std::fprintf(stderr, "  %s: %s\n", f.path.string().c_str(), f.reason.c_str());
    }
}

}  // namespace

void add_data_options(CLI::App& command, DataOptions& options, bool data_required) {
    command.add_option("--data", options.data, "Corpus folder as CORPUS=DIR (ravdess, tess, crema-d, savee, emodb, nemo, ased); repeat for several")
        ->required(data_required);
    command.add_option("--threads", options.threads, "Worker threads (0: every core)")->check(worker_count());
    command.add_option("--cache", options.cache, "Feature cache folder (default: $XDG_CACHE_HOME/ser/features)");
    command.add_flag("--no-cache", options.no_cache, "Compute every feature afresh and store nothing");
}

ClipSet load_data(const DataOptions& options, const TrainingConfig& config) {
    std::vector<DataSource> sources, extra_sources;
    for (const auto& text : options.data) sources.push_back(parse_data_source(text));
    for (const auto& text : options.train_also) extra_sources.push_back(parse_data_source(text));
    ScannedData scanned = scan_sources(sources, config.labels);
    const std::size_t evaluated = scanned.items.size();
    if (!extra_sources.empty()) {
        ScannedData extra = scan_sources(extra_sources, config.labels);
        scanned.items.insert(scanned.items.end(), extra.items.begin(), extra.items.end());
        scanned.unmatched.insert(scanned.unmatched.end(), extra.unmatched.begin(), extra.unmatched.end());
    }
    warn_files("files match no corpus naming convention and are left out", scanned.unmatched);
    std::size_t kept_evaluated = evaluated;
    // Keeps the clips whose label is in `labels`; says how many went.
    auto keep_labels = [&](const std::vector<std::string>& labels, const std::string& what) {
        std::vector<CorpusItem> kept;
        const std::size_t boundary = kept_evaluated;
        for (std::size_t i = 0; i < scanned.items.size(); ++i) {
            if (std::find(labels.begin(), labels.end(), scanned.items[i].label) == labels.end()) {
                if (i < boundary) --kept_evaluated;
                continue;
            }
            kept.push_back(std::move(scanned.items[i]));
        }
        std::fprintf(stderr, "%s: %zu; %zu files with other labels left out\n", what.c_str(), labels.size(),
                     scanned.items.size() - kept.size());
        scanned.items = std::move(kept);
    };
    if (options.shared_labels) keep_labels(labels_shared_by_corpora(scanned.items), "labels shared by every corpus given");
    if (!options.keep_labels.empty()) {
        for (const auto& label : options.keep_labels)
            if (std::find(std::begin(canonical_emotions), std::end(canonical_emotions), label) == std::end(canonical_emotions))
                throw std::invalid_argument("--labels: '" + label +
                                            "' is not a label (neutral, calm, happy, sad, angry, fearful, disgust, surprised, boredom)");
        keep_labels(options.keep_labels, "labels asked for (--labels)");
    }

    DatasetOptions dataset;
    dataset.threads = options.threads;
    for (const auto& text : options.conditions) dataset.conditions.push_back(parse_test_condition(text));
    if (!options.no_cache) dataset.cache_dir = options.cache.empty() ? default_cache_dir() : std::filesystem::path(options.cache);
    ProgressBar bar("features");
    dataset.on_progress = [&](const ProgressCounts& p) {
        bar.update(static_cast<double>(p.done), static_cast<double>(p.total),
                   std::to_string(p.done) + "/" + std::to_string(p.total) + " files" +
                       (p.failed ? ", " + std::to_string(p.failed) + " unreadable" : ""));
    };
    const std::size_t total = scanned.items.size();
    ClipSet clips = load_clip_set(std::move(scanned.items), config, dataset, kept_evaluated);
    bar.finish(std::to_string(clips.items.size()) + " of " + std::to_string(total) + " files");
    warn_files("files could not be read and are skipped", clips.unreadable);
    return clips;
}

TrainingConfig read_training_config(const std::string& path) {
    const std::string text = read_text_file(path);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(path + " is not valid JSON: " + e.what());
    }
    try {
        return training_config_from_json(j);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

nlohmann::json speakers_of(const ClipSet& clips, std::span<const std::size_t> items) {
    std::set<std::string> speakers;
    for (std::size_t i : items) speakers.insert(clips.items[i].speaker);
    return speakers;
}

}  // namespace ser::cli
