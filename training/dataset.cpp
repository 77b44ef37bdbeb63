#include "training/dataset.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "features/feature_extractor.h"
#include "io/audio_file.h"
#include "nn/rng.h"
#include "model/model.h"
#include "audio/silence.h"
#include "training/augment/pipeline.h"
#include "training/duplicates.h"
#include "training/feature_cache.h"

namespace ser {

DataSource parse_data_source(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw std::invalid_argument("--data expects CORPUS=DIR (e.g. ravdess=../shared/data/ravdess), got \"" + text + "\"");
    return {parse_corpus_name(text.substr(0, eq)), text.substr(eq + 1)};
}

ScannedData scan_sources(const std::vector<DataSource>& sources, const LabelOptions& labels) {
    if (sources.empty()) throw std::invalid_argument("no data given: pass --data CORPUS=DIR (e.g. ravdess=../shared/data/ravdess)");
    ScannedData out;
    CorpusOptions options;
    options.labels = labels;
    for (const auto& source : sources) {
        CorpusScan scan = read_corpus(source.corpus, source.dir, options);
        out.items.insert(out.items.end(), scan.items.begin(), scan.items.end());
        out.unmatched.insert(out.unmatched.end(), scan.unmatched.begin(), scan.unmatched.end());
    }
    return out;
}

TestCondition parse_test_condition(const std::string& text) {
    const auto colon = text.find(':');
    const std::string kind = text.substr(0, colon);
    double amount = 0.0;
    try {
        if (colon == std::string::npos) throw std::invalid_argument("no amount");
        std::size_t used = 0;
        amount = std::stod(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
        throw std::invalid_argument("--condition expects KIND:AMOUNT, one of " + std::string(condition_forms) + ", got \"" +
                                    text + "\"");
    }
    nlohmann::json step;
    if (kind == "noise" || kind == "white") {
        step = {{"type", "noise"}, {"probability", 1.0}, {"snr_db", amount}, {"sources", {kind == "noise" ? "pink" : "white"}}};
    } else if (kind == "reverb") {
        step = {{"type", "reverb"}, {"probability", 1.0}, {"rt60_s", amount}, {"drr_db", 0.0}};
    } else if (kind == "gain" || kind == "pad" || kind == "phone" || kind == "opus") {
        const char* key = kind == "gain" ? "db" : kind == "pad" ? "seconds" : kind == "phone" ? "rate_hz" : "kbps";
        step = {{"type", kind}, {"probability", 1.0}, {key, amount}};
    } else {
        throw std::invalid_argument("unknown --condition \"" + kind + "\" (known: " + std::string(condition_forms) + ")");
    }
    return {text, augmentation_config_from_json({{"steps", {step}}})};
}

std::uint64_t item_identity(const CorpusItem& item) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : item.speaker + "/" + item.path.filename().string()) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

std::uint64_t condition_seed(std::uint64_t run_seed, std::size_t condition, const CorpusItem& item) {
    return augmentation_seed(run_seed, 1000 + condition, item_identity(item));
}

ClipSet load_clip_set(std::vector<CorpusItem> items, const TrainingConfig& config, const DatasetOptions& options,
                      std::size_t evaluated) {
    const std::string feature_key = to_json(config.features).dump();
    const std::string augmentation_text = to_json(config.augmentation).dump();
    const int copies = config.augmented_copies;
    const AugmentationPipeline augment(config.augmentation, config.features.sample_rate);
    const std::string fingerprint_key = "audio fingerprint 1: RMS of 10 ms blocks at " +
                                        std::to_string(config.features.sample_rate) + " Hz";
    std::vector<AugmentationPipeline> conditions;
    for (const auto& c : options.conditions) conditions.emplace_back(c.degrade, config.features.sample_rate);
    // Scored clips are framed by silence as the analyser frames them (conditions too).
    const auto edge = static_cast<std::size_t>(edge_samples(config.input.edge_s, config.features.sample_rate));
    const std::string edge_key = edge > 0 ? "edge " + std::to_string(edge) : "";
    auto framed = [edge](std::vector<float> pcm) { return edge > 0 ? pad_silence(pcm, edge) : pcm; };
    std::optional<FeatureCache> cache;
    if (!options.cache_dir.empty()) cache.emplace(options.cache_dir);

    // FeatureExtractor keeps scratch buffers: one per worker thread, handed out under a lock.
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<FeatureExtractor>> extractors;

    auto extract = [&](const CorpusItem& item) {
        std::unique_ptr<FeatureExtractor> extractor;
        {
            std::lock_guard lock(pool_mutex);
            if (!extractors.empty()) {
                extractor = std::move(extractors.back());
                extractors.pop_back();
            }
        }
        if (!extractor) extractor = std::make_unique<FeatureExtractor>(config.features);

        std::vector<float> pcm;  // decoded only when some variant misses the cache
        auto audio = [&]() -> const std::vector<float>& {
            if (pcm.empty()) pcm = load_audio(item.path, config.features.sample_rate);
            if (pcm.empty()) throw std::runtime_error(item.path.string() + ": no audio samples");
            return pcm;
        };
        auto features_of = [&](const CorpusItem& it, const std::string& aug_key, const auto& make_audio) {
            auto compute = [&] {
                FeatureMatrix features;
                extractor->compute(make_audio(), features);
                return features;
            };
            return cache ? cache->get_or_compute(it.path, feature_key, aug_key, compute) : compute();
        };
        std::vector<FeatureMatrix> variants;
        for (int v = 0; v <= copies; ++v) {
            const std::uint64_t seed = augmentation_seed(config.seed, static_cast<std::uint64_t>(v), item_identity(item));
            const std::string aug_key = v == 0 ? "" : augmentation_text + "#seed=" + std::to_string(seed);
            variants.push_back(features_of(item, aug_key, [&] { return v == 0 ? audio() : augment.apply(audio(), seed); }));
        }
        if (edge > 0) variants.push_back(features_of(item, edge_key, [&] { return pad_silence(audio(), edge); }));
        // Test conditions come after the variants, so they never shift an augmentation seed.
        for (std::size_t c = 0; c < conditions.size(); ++c) {
            const std::uint64_t seed = condition_seed(config.seed, c, item);
            const std::string key = "condition " + to_json(options.conditions[c].degrade).dump() + "#seed=" +
                                    std::to_string(seed) + (edge > 0 ? " " + edge_key : "");
            variants.push_back(features_of(item, key, [&] { return framed(conditions[c].apply(audio(), seed)); }));
        }
        // Last, the audio's fingerprint (a 1-row matrix), kept in the cache like a feature.
        auto fingerprint = [&] {
            FeatureMatrix f;
            f.values = audio_fingerprint(audio(), config.features.sample_rate);
            f.rows = 1;
            f.cols = static_cast<int>(f.values.size());
            return f;
        };
        variants.push_back(cache ? cache->get_or_compute(item.path, fingerprint_key, "", fingerprint) : fingerprint());
        std::lock_guard lock(pool_mutex);
        extractors.push_back(std::move(extractor));
        return variants;
    };

    ParallelOptions parallel;
    parallel.threads = options.threads;
    parallel.on_progress = options.on_progress;
    auto results = parallel_map<std::vector<FeatureMatrix>>(std::span<const CorpusItem>(items), extract, parallel);

    ClipSet set;
    for (const auto& error : results.errors) set.unreadable.push_back({items[error.index].path, error.message});
    for (const auto& c : options.conditions) set.condition_names.push_back(c.name);
    set.conditioned.resize(options.conditions.size());
    std::vector<std::vector<float>> fingerprints;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!results.results[i]) continue;
        auto& features = *results.results[i];
        fingerprints.push_back(std::move(features.back().values));
        features.pop_back();
        for (std::size_t c = options.conditions.size(); c-- > 0;) {
            set.conditioned[c].push_back(std::move(features.back()));
            features.pop_back();
        }
        if (edge > 0) {
            set.edged.push_back(std::move(features.back()));
            features.pop_back();
        }
        set.items.push_back(std::move(items[i]));
        set.variants.push_back(std::move(features));
        if (i < evaluated) set.evaluated = set.items.size();
    }
    if (set.items.empty()) throw std::runtime_error("none of the audio files could be read (see the warnings above)");
    const std::vector<int> groups = duplicate_groups(fingerprints);
    for (std::size_t i = 0; i < set.items.size(); ++i) set.items[i].duplicate_group = groups[i];

    for (std::string_view name : canonical_emotions) {
        const bool present = std::any_of(set.items.begin(), set.items.end(), [&](const CorpusItem& it) { return it.label == name; });
        if (present) set.labels.emplace_back(name);
    }
    if (set.labels.size() < 2)
        throw std::runtime_error("the data holds a single emotion (\"" + set.labels.front() +
                                 "\"): a classifier needs at least two; add a corpus or folder with other emotions");
    for (const auto& item : set.items) set.label.push_back(label_index(set.labels, item.label));
    return set;
}

const FeatureMatrix& analysed_clip(const ClipSet& clips, std::size_t item) {
    return clips.edged.empty() ? clips.variants.at(item).front() : clips.edged.at(item);
}

std::map<Corpus, std::vector<std::uint8_t>> corpus_label_sets(const ClipSet& clips) {
    std::map<Corpus, std::vector<std::uint8_t>> sets;
    for (std::size_t i = 0; i < clips.items.size(); ++i) {
        auto& set = sets[clips.items[i].corpus];
        set.resize(clips.labels.size(), 0);
        set[static_cast<std::size_t>(clips.label[i])] = 1;
    }
    return sets;
}

}  // namespace ser
