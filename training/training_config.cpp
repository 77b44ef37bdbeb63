#include "training/training_config.h"

#include "features/feature_extractor.h"
#include "training/optimizer_json.h"

#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string_view>

namespace ser {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::invalid_argument("training config: " + path + ": " + what);
}

void require_object(const json& j, const std::string& path) {
    if (!j.is_object()) fail(path, "expected an object, got " + std::string(j.type_name()));
}

void check_keys(const json& j, const std::string& path, std::initializer_list<std::string_view> allowed) {
    require_object(j, path);
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (auto a : allowed) known = known || key == a;
        if (!known) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            fail(path.empty() ? key : path + "." + key, "unknown key (known here: " + list + ")");
        }
    }
}

std::string child(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

template <class T>
T get(const json& j, const std::string& path, std::string_view key, T fallback) {
    if (!j.contains(key)) return fallback;
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        fail(child(path, key), "wrong type (" + std::string(j.at(key).type_name()) + ")");
    }
}

int get_int(const json& j, const std::string& path, std::string_view key, int fallback, int lo, int hi) {
    if (j.contains(key) && !j.at(key).is_number_integer()) fail(child(path, key), "expected an integer");
    const int v = get<int>(j, path, key, fallback);
    if (v < lo || v > hi) fail(child(path, key), std::to_string(v) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
}

double get_number(const json& j, const std::string& path, std::string_view key, double fallback, double lo, double hi) {
    if (j.contains(key) && !j.at(key).is_number()) fail(child(path, key), "expected a number");
    const double v = get<double>(j, path, key, fallback);
    if (!std::isfinite(v) || v < lo || v > hi)
        fail(child(path, key), std::to_string(v) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
}

bool get_bool(const json& j, const std::string& path, std::string_view key, bool fallback) {
    if (j.contains(key) && !j.at(key).is_boolean()) fail(child(path, key), "expected true or false");
    return get<bool>(j, path, key, fallback);
}

// "default", or {"preset": "default", <overrides>}, or a complete feature config.
FeatureConfig parse_features(const json& j) {
    try {
        if (j.is_string()) return feature_preset(j.get<std::string>());
        require_object(j, "features");
        if (!j.contains("preset")) return feature_config_from_json(j);
        json merged = to_json(feature_preset(j.at("preset").get<std::string>()));
        json overrides = j;
        overrides.erase("preset");
        merged.merge_patch(overrides);
        return feature_config_from_json(merged);
    } catch (const std::invalid_argument& e) {
        fail("features", e.what());
    } catch (const json::exception& e) {
        fail("features", e.what());
    }
}

template <class Fn>
auto parse_nested(const json& j, const std::string& path, Fn&& parse) {
    try {
        return parse(j);
    } catch (const std::invalid_argument& e) {
        fail(path, e.what());
    } catch (const json::exception& e) {
        fail(path, e.what());
    }
}

}  // namespace

TrainingConfig training_config_from_json(const json& j) {
    check_keys(j, "", {"name", "description", "labels", "features", "normalisation", "input", "network", "training",
                       "augmentation"});
    TrainingConfig c;
    c.name = get<std::string>(j, "", "name", "");
    c.description = get<std::string>(j, "", "description", "");

    if (j.contains("labels")) {
        const json& l = j.at("labels");
        check_keys(l, "labels", {"merge_calm_into_neutral", "keep_boredom"});
        c.labels.merge_calm_into_neutral = get_bool(l, "labels", "merge_calm_into_neutral", false);
        c.labels.keep_boredom = get_bool(l, "labels", "keep_boredom", false);
    }
    if (!j.contains("features")) fail("features", "missing (a preset name such as \"default\", or a feature config)");
    c.features = parse_features(j.at("features"));

    if (j.contains("normalisation")) {
        const json& n = j.at("normalisation");
        check_keys(n, "normalisation", {"per_utterance", "speech_range_db", "floor_db"});
        c.per_utterance_normalisation = get_bool(n, "normalisation", "per_utterance", false);
        c.speech_range_db = get_number(n, "normalisation", "speech_range_db", 0.0, 0.0, 200.0);
        c.floor_db = get_number(n, "normalisation", "floor_db", 0.0, 0.0, 200.0);
        if ((c.speech_range_db > 0.0 || c.floor_db > 0.0) &&
            !(c.features.input.features == std::vector<std::string>{"mel_db"} && c.features.input.pooling == Pooling::none))
            fail("normalisation", "speech_range_db and floor_db need frame features in dB (features.input.features "
                                  "[\"mel_db\"], no pooling); set them to 0 for other features");
    }
    if (j.contains("input")) {
        const json& in = j.at("input");
        check_keys(in, "input", {"window_s", "hop_s"});
        c.input.window_s = get_number(in, "input", "window_s", 0.0, 0.0, 60.0);
        c.input.hop_s = get_number(in, "input", "hop_s", 0.25, 0.01, 60.0);
        if (c.input.window_s > 0.0 && c.features.input.pooling != Pooling::none)
            fail("input.window_s", "windows need frame features; this feature config pools them over time");
    }
    if (!j.contains("network")) fail("network", "missing (an object with a \"layers\" list)");
    c.network = j.at("network");
    check_keys(c.network, "network", {"input", "layers"});
    if (!c.network.contains("layers") || !c.network.at("layers").is_array() || c.network.at("layers").empty())
        fail("network.layers", "expected a non-empty list of layers");

    if (j.contains("training")) {
        const json& t = j.at("training");
        const std::string p = "training";
        check_keys(t, p, {"epochs", "batch_size", "seed", "optimizer", "schedule", "label_smoothing", "balance_classes",
                          "mixup_alpha", "spec_augment", "early_stopping", "validation_fraction", "label_mask", "label_mask_leak",
                          "corpus_sampling"});
        c.epochs = get_int(t, p, "epochs", c.epochs, 1, 100000);
        c.batch_size = get_int(t, p, "batch_size", c.batch_size, 1, 65536);
        if (t.contains("seed") && !(t.at("seed").is_number_integer() && t.at("seed").get<std::int64_t>() >= 0))
            fail("training.seed", "expected a non-negative integer");
        c.seed = get<std::uint64_t>(t, p, "seed", c.seed);
        if (t.contains("optimizer"))
            c.optimizer = parse_nested(t.at("optimizer"), "training.optimizer", optimizer_config_from_json);
        if (t.contains("schedule"))
            c.schedule = parse_nested(t.at("schedule"), "training.schedule", schedule_config_from_json);
        c.loss.label_smoothing = static_cast<float>(get_number(t, p, "label_smoothing", 0.0, 0.0, 0.99));
        c.balance_classes = get_bool(t, p, "balance_classes", false);
        c.mixup_alpha = get_number(t, p, "mixup_alpha", 0.0, 0.0, 10.0);
        if (t.contains("spec_augment")) {
            const json& s = t.at("spec_augment");
            const std::string sp = "training.spec_augment";
            check_keys(s, sp, {"freq_masks", "freq_width", "time_masks", "time_width"});
            c.spec_augment.freq_masks = get_int(s, sp, "freq_masks", 0, 0, 16);
            c.spec_augment.freq_width = get_int(s, sp, "freq_width", 0, 0, 1024);
            c.spec_augment.time_masks = get_int(s, sp, "time_masks", 0, 0, 16);
            c.spec_augment.time_width = get_int(s, sp, "time_width", 0, 0, 100000);
        }
        if (t.contains("early_stopping")) {
            const json& e = t.at("early_stopping");
            const std::string ep = "training.early_stopping";
            check_keys(e, ep, {"metric", "patience"});
            c.early_stopping.metric = get<std::string>(e, ep, "metric", "uar");
            if (c.early_stopping.metric != "uar" && c.early_stopping.metric != "accuracy" && c.early_stopping.metric != "loss")
                fail(ep + ".metric", "\"" + c.early_stopping.metric + "\" is not one of uar, accuracy, loss");
            c.early_stopping.patience = get_int(e, ep, "patience", 0, 0, 100000);
        }
        c.validation_fraction = get_number(t, p, "validation_fraction", c.validation_fraction, 0.0, 0.5);
        c.label_mask = get<std::string>(t, p, "label_mask", c.label_mask);
        if (c.label_mask != "auto" && c.label_mask != "corpus" && c.label_mask != "off")
            fail("training.label_mask", "\"" + c.label_mask + "\" is not one of auto, corpus, off");
        c.loss.mask_leak = static_cast<float>(get_number(t, p, "label_mask_leak", 0.0, 0.0, 1.0));
        if (t.contains("corpus_sampling")) {
            const json& cs = t.at("corpus_sampling");
            check_keys(cs, "training.corpus_sampling", {"power"});
            if (!cs.contains("power")) fail("training.corpus_sampling.power", "missing (1: natural shares, 0: equal shares)");
            c.corpus_sampling_power = get_number(cs, "training.corpus_sampling", "power", 1.0, 0.0, 1.0);
        }
    }
    if (j.contains("augmentation")) {
        json a = j.at("augmentation");
        require_object(a, "augmentation");
        c.augmented_copies = get_int(a, "augmentation", "copies", 0, 0, 64);
        a.erase("copies");
        if (!a.contains("steps")) a["steps"] = json::array();
        c.augmentation = parse_nested(a, "augmentation", augmentation_config_from_json);
        if (c.augmented_copies > 0 && c.augmentation.steps.empty())
            fail("augmentation.copies", "augmented copies need at least one augmentation step");
    }
    return c;
}

json to_json(const TrainingConfig& c) {
    json augmentation = to_json(c.augmentation);
    augmentation["copies"] = c.augmented_copies;
    json out = {
        {"name", c.name},
        {"description", c.description},
        {"labels", {{"merge_calm_into_neutral", c.labels.merge_calm_into_neutral}, {"keep_boredom", c.labels.keep_boredom}}},
        {"features", to_json(c.features)},
        {"normalisation",
         {{"per_utterance", c.per_utterance_normalisation}, {"speech_range_db", c.speech_range_db}, {"floor_db", c.floor_db}}},
        {"input", {{"window_s", c.input.window_s}, {"hop_s", c.input.hop_s}}},
        {"network", c.network},
        {"training",
         {{"epochs", c.epochs},
          {"batch_size", c.batch_size},
          {"seed", c.seed},
          {"optimizer", to_json(c.optimizer)},
          {"schedule", to_json(c.schedule)},
          {"label_smoothing", c.loss.label_smoothing},
          {"balance_classes", c.balance_classes},
          {"mixup_alpha", c.mixup_alpha},
          {"spec_augment",
           {{"freq_masks", c.spec_augment.freq_masks},
            {"freq_width", c.spec_augment.freq_width},
            {"time_masks", c.spec_augment.time_masks},
            {"time_width", c.spec_augment.time_width}}},
          {"early_stopping", {{"metric", c.early_stopping.metric}, {"patience", c.early_stopping.patience}}},
          {"validation_fraction", c.validation_fraction},
          {"label_mask", c.label_mask},
          {"label_mask_leak", c.loss.mask_leak}}},
        {"augmentation", augmentation},
    };
    if (c.corpus_sampling_power) out["training"]["corpus_sampling"] = {{"power", *c.corpus_sampling_power}};
    return out;
}

int window_frames(const TrainingConfig& c) {
    if (c.input.window_s <= 0.0) return 0;
    const auto samples = static_cast<std::size_t>(std::lround(c.input.window_s * c.features.sample_rate));
    return FeatureExtractor(c.features).frames_for(samples);
}

json network_architecture(const TrainingConfig& c, int input_channels, int input_frames, int classes) {
    json arch = c.network;
    for (auto& layer : arch.at("layers"))
        if (layer.contains("units") && layer.at("units") == "labels") layer["units"] = classes;
    const json declared = {{"channels", input_channels}, {"time", input_frames}};
    if (arch.contains("input") && arch.at("input") != declared)
        fail("network.input", arch.at("input").dump() + " does not match what the features give: " + declared.dump() +
                                  " (leave it out: it is filled in)");
    arch["input"] = declared;
    return arch;
}

}  // namespace ser
