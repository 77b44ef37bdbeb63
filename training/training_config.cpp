#include "training/training_config.h"

#include "features/feature_extractor.h"
#include "features/frame_levels.h"
#include "training/optimizer_json.h"

#include <cmath>
#include <stdexcept>
#include <string_view>

namespace ser {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::invalid_argument("training config: " + path + ": " + what);
}

// "default", or {"preset": "default", <overrides>}, or a complete feature config.
FeatureConfig parse_features(const json& j) {
    const bool preset = j.is_object() && j.contains("preset");
    if (preset && !j.at("preset").is_string())
        fail("features.preset", "must be the name of a preset, not " + JsonReader::shown(j.at("preset")));
    try {
        if (j.is_string()) return feature_preset(j.get<std::string>());
        if (!preset) return feature_config_from_json(j);
        json merged = to_json(feature_preset(j.at("preset").get<std::string>()));
        json overrides = j;
        overrides.erase("preset");
        merged.merge_patch(overrides);
        return feature_config_from_json(merged);
    } catch (const std::invalid_argument& e) {
        fail("features", e.what());
    }
}

// edge_s only when set: a config without it keeps the text (and so the resume header) it had.
json input_json(const InputWindows& in) {
    json out = {{"window_s", in.window_s}, {"hop_s", in.hop_s}};
    if (in.edge_s > 0.0) out["edge_s"] = in.edge_s;
    return out;
}

}  // namespace

TrainingConfig training_config_from_json(const json& j) {
    JsonReader root(j, "training config");
    TrainingConfig c;
    c.name = root.string("name", "");
    c.description = root.string("description", "");

    JsonReader labels = root.section("labels");
    c.labels.merge_calm_into_neutral = labels.boolean("merge_calm_into_neutral", false);
    c.labels.keep_boredom = labels.boolean("keep_boredom", false);
    labels.finish();

    if (!root.has("features")) fail("features", "missing (a preset name such as \"default\", or a feature config)");
    c.features = parse_features(root.need("features"));

    JsonReader n = root.section("normalisation");
    c.per_utterance_normalisation = n.boolean("per_utterance", false);
    c.speech_range_db = n.number("speech_range_db", 0.0, 0.0, 200.0);
    c.floor_db = n.number("floor_db", 0.0, 0.0, 200.0);
    n.finish();
    if ((c.speech_range_db > 0.0 || c.floor_db > 0.0) && level_rows(c.features) == 0)
        fail("normalisation", "speech_range_db and floor_db need frame features that start in dB (features.input.features "
                              "beginning with \"mel_db\", no pooling); set them to 0 for other features");

    JsonReader in = root.section("input");
    c.input.window_s = in.number("window_s", 0.0, 0.0, 60.0);
    c.input.hop_s = in.number("hop_s", 0.25, 0.01, 60.0);
    c.input.edge_s = in.number("edge_s", 0.0, 0.0, 60.0);
    in.finish();
    if (c.input.edge_s > 0.0 && !(c.input.edge_s <= c.input.window_s / 2.0))
        fail("input.edge_s", "windows reach at most half a window past a clip's edge: give at most window_s / 2 "
                             "(and windows at all: window_s > 0)");
    if (c.input.window_s > 0.0 && c.features.input.pooling != Pooling::none)
        fail("input.window_s", "windows need frame features; this feature config pools them over time");
    if (!root.has("network")) fail("network", "missing (an object with a \"layers\" list)");
    JsonReader network = root.object("network");
    network.find("input");
    network.array("layers", false);  // its entries are read when the network is built (fit.cpp)
    network.finish();
    c.network = network.value();

    JsonReader t = root.section("training");
    c.epochs = t.integer("epochs", c.epochs, 1, 100000);
    c.batch_size = t.integer("batch_size", c.batch_size, 1, 65536);
    c.seed = t.unsigned_integer("seed", c.seed);
    if (t.find("optimizer")) c.optimizer = read_optimizer_config(t.object("optimizer"));
    if (t.find("schedule")) c.schedule = read_schedule_config(t.object("schedule"));
    c.loss.label_smoothing = static_cast<float>(t.number("label_smoothing", 0.0, 0.0, 0.99));
    c.balance_classes = t.boolean("balance_classes", false);
    c.mixup_alpha = t.number("mixup_alpha", 0.0, 0.0, 10.0);
    JsonReader sa = t.section("spec_augment");
    c.spec_augment.freq_masks = sa.integer("freq_masks", 0, 0, 16);
    c.spec_augment.freq_width = sa.integer("freq_width", 0, 0, 1024);
    c.spec_augment.time_masks = sa.integer("time_masks", 0, 0, 16);
    c.spec_augment.time_width = sa.integer("time_width", 0, 0, 100000);
    sa.finish();
    JsonReader es = t.section("early_stopping");
    c.early_stopping.metric = es.one_of("metric", std::optional<std::string>("uar"),
                                        {{"uar", "uar"}, {"accuracy", "accuracy"}, {"loss", "loss"}});
    c.early_stopping.patience = es.integer("patience", 0, 0, 100000);
    es.finish();
    c.validation_fraction = t.number("validation_fraction", c.validation_fraction, 0.0, 0.5);
    c.label_mask = t.one_of("label_mask", std::optional(c.label_mask), {{"auto", "auto"}, {"corpus", "corpus"}, {"off", "off"}});
    c.loss.mask_leak = static_cast<float>(t.number("label_mask_leak", 0.0, 0.0, 1.0));
    if (t.find("corpus_sampling")) {
        JsonReader cs = t.object("corpus_sampling");
        if (!cs.has("power")) fail("training.corpus_sampling.power", "missing (1: natural shares, 0: equal shares)");
        c.corpus_sampling_power = cs.number("power", {}, 0.0, 1.0);
        cs.finish();
    }
    if (t.find("weight_averaging")) {
        JsonReader wa = t.object("weight_averaging");
        if (!wa.has("from_epoch")) fail("training.weight_averaging.from_epoch", "missing (the first epoch averaged, 1-based)");
        c.average_from_epoch = wa.integer("from_epoch", {}, 1, c.epochs);
        wa.finish();
    }
    if (t.find("adversary")) {
        JsonReader ad = t.object("adversary");
        TrainingConfig::Adversary a;
        a.target = ad.one_of("target", std::optional(a.target), {{"corpus", "corpus"}, {"speaker", "speaker"}});
        if (!ad.has("weight")) fail("training.adversary.weight", "missing (the reversed gradient's scale, e.g. 0.1)");
        a.weight = ad.number("weight", {}, 0.0, 10.0);
        a.units = ad.integer("units", a.units, 1, 4096);
        ad.finish();
        if (c.mixup_alpha > 0.0) fail("training.adversary", "does not combine with mixup_alpha: a mixed clip has two domains");
        c.adversary = a;
    }
    t.finish();

    if (root.find("augmentation")) {
        JsonReader a = root.object("augmentation");
        c.augmented_copies = a.integer("copies", 0, 0, 64);
        const json* steps = a.find("steps");
        a.finish();
        try {
            c.augmentation = augmentation_config_from_json({{"steps", steps ? *steps : json::array()}});
        } catch (const std::invalid_argument& e) {
            fail("augmentation", e.what());
        }
        if (c.augmented_copies > 0 && c.augmentation.steps.empty())
            fail("augmentation.copies", "augmented copies need at least one augmentation step");
    }
    root.finish();
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
        {"input", input_json(c.input)},
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
    if (c.average_from_epoch) out["training"]["weight_averaging"] = {{"from_epoch", *c.average_from_epoch}};
    if (c.adversary)
        out["training"]["adversary"] = {{"target", c.adversary->target}, {"weight", c.adversary->weight}, {"units", c.adversary->units}};
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
