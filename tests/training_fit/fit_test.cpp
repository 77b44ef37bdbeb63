#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "nn/rng.h"
#include "training/checkpoint.h"
#include "training/evaluate.h"
#include "training/fit.h"

namespace {

using nlohmann::json;

// Three "emotions" that differ in which channels are modulated (a square wave over time, so
// per-utterance mean removal keeps it), on a noisy background, with a few speakers: enough
// structure for a tiny net to learn in a handful of epochs.
ser::ClipSet synthetic_clips(int per_class, int channels, int frames, std::uint64_t seed) {
    ser::ClipSet set;
    set.labels = {"neutral", "happy", "angry"};
    ser::nn::Rng rng(seed);
    for (int c = 0; c < 3; ++c) {
        for (int k = 0; k < per_class; ++k) {
            ser::CorpusItem item;
            item.path = "clip_" + std::to_string(c) + "_" + std::to_string(k) + ".wav";
            item.speaker = "synthetic:" + std::to_string(k % 4);
            item.gender = k % 2 ? ser::Gender::male : ser::Gender::female;
            item.label = set.labels[static_cast<std::size_t>(c)];
            set.items.push_back(item);
            set.label.push_back(c);
            ser::FeatureMatrix m;
            m.rows = channels;
            m.cols = frames + static_cast<int>(rng.below(20));
            m.values.resize(static_cast<std::size_t>(m.rows) * static_cast<std::size_t>(m.cols));
            for (int r = 0; r < m.rows; ++r)
                for (int t = 0; t < m.cols; ++t)
                    m.values[static_cast<std::size_t>(r * m.cols + t)] =
                        static_cast<float>(rng.normal() + ((r % 3) == c ? ((t / 3) % 2 ? 1.5 : -1.5) : 0.0));
            set.variants.push_back({m});
        }
    }
    return set;
}

ser::TrainingConfig tiny_config() {
    const json config = {
        {"features", {{"preset", "default"}}},
        {"input", {{"window_s", 0.5}, {"hop_s", 0.25}}},
        {"normalisation", {{"per_utterance", true}}},
        {"network",
         {{"layers",
           {{{"type", "conv1d"}, {"filters", 8}, {"kernel", 3}, {"padding", "same"}},
            {{"type", "batchnorm"}},
            {{"type", "relu"}},
            {{"type", "dropout"}, {"rate", 0.1}},
            {{"type", "stats_pool"}},
            {{"type", "dense"}, {"units", "labels"}},
            {{"type", "softmax"}}}}}},
        {"training",
         {{"epochs", 4},
          {"batch_size", 16},
          {"seed", 7},
          {"optimizer", {{"kind", "adam"}}},
          {"schedule", {{"kind", "cosine"}, {"base_lr", 0.01}, {"total_epochs", 4}}},
          {"mixup_alpha", 0.2},
          {"spec_augment", {{"freq_masks", 1}, {"freq_width", 2}, {"time_masks", 1}, {"time_width", 5}}},
          {"early_stopping", {{"metric", "loss"}, {"patience", 3}}}}}};
    return ser::training_config_from_json(config);
}

std::vector<std::size_t> range(std::size_t from, std::size_t to, std::size_t step = 1) {
    std::vector<std::size_t> v;
    for (std::size_t i = from; i < to; i += step) v.push_back(i);
    return v;
}

std::vector<std::vector<float>> weights(ser::nn::Network& net) { return ser::snapshot_tensors(net); }

// The run stopped at the first batch of epoch `stop_epoch`, as Ctrl-C would, then resumed
// from its checkpoint: what it ends with.
ser::FitResult stopped_and_resumed(const ser::TrainingConfig& config, const ser::ClipSet& clips,
                                   const std::vector<std::size_t>& train, const ser::FitOptions& options, int stop_epoch,
                                   const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(dir);
    std::atomic<bool> stop{false};
    int batches_seen = 0;
    ser::FitOptions first = options;
    first.checkpoint = dir / "run.checkpoint";
    first.stop = &stop;
    first.on_progress = [&](const ser::FitProgress& p) {
        if (p.epoch == stop_epoch && ++batches_seen == 1) stop = true;
    };
    REQUIRE(ser::fit(config, clips, train, {}, first).interrupted);
    ser::FitOptions second = options;
    second.checkpoint = first.checkpoint;
    second.resume = true;
    ser::FitResult resumed = ser::fit(config, clips, train, {}, second);
    std::filesystem::remove_all(dir);
    return resumed;
}

}  // namespace

TEST_SUITE("training_fit") {

TEST_CASE("training config: unknown keys are named with their path; presets take overrides") {
    json j = {{"features", "default"}, {"network", {{"layers", {{{"type", "dense"}, {"units", "labels"}}}}}},
              {"training", {{"optimiser", {{"kind", "adam"}}}}}};
    try {
        ser::training_config_from_json(j);
        FAIL("an unknown key was accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("training.optimiser") != std::string::npos);
    }
    j["training"] = {{"epochs", 3}};
    j["features"] = {{"preset", "default"}, {"mel", {{"n_mels", 24}}}, {"mfcc", {{"n_mfcc", 20}}}};
    const auto c = ser::training_config_from_json(j);
    CHECK(c.features.mel.n_mels == 24);
    CHECK(c.features.sample_rate == ser::feature_preset("default").sample_rate);
    CHECK(c.epochs == 3);
    const json arch = ser::network_architecture(c, 24, 50, 5);
    CHECK(arch["layers"][0]["units"] == 5);
    CHECK(arch["input"]["channels"] == 24);

    j["features"] = "no-such-preset";
    CHECK_THROWS_AS(ser::training_config_from_json(j), std::invalid_argument);
}

TEST_CASE("label masks and corpus sampling: strict keys, round trip, auto on for differing label sets") {
    json j = {{"features", "default"}, {"network", {{"layers", {{{"type", "dense"}, {"units", "labels"}}}}}},
              {"training", {{"label_mask", "corpus"}, {"label_mask_leak", 0.1}, {"corpus_sampling", {{"power", 0.5}}}}}};
    const auto c = ser::training_config_from_json(j);
    CHECK(c.label_mask == "corpus");
    REQUIRE(c.corpus_sampling_power);
    CHECK(*c.corpus_sampling_power == 0.5);
    const auto again = ser::training_config_from_json(ser::to_json(c));
    CHECK(again.label_mask == "corpus");
    CHECK(c.loss.mask_leak == doctest::Approx(0.1));
    CHECK(again.loss.mask_leak == c.loss.mask_leak);
    CHECK(again.corpus_sampling_power == c.corpus_sampling_power);
    CHECK_FALSE(ser::training_config_from_json({{"features", "default"}, {"network", j["network"]}}).corpus_sampling_power);
    for (const json& bad : {json{{"label_mask", "yes"}}, json{{"label_mask_leak", 2}}, json{{"corpus_sampling", {{"power", 2}}}},
                            json{{"corpus_sampling", json::object()}}, json{{"corpus_sampling", {{"alpha", 0.5}}}}}) {
        j["training"] = bad;
        CHECK_THROWS_WITH_AS(ser::training_config_from_json(j), doctest::Contains("training."), std::invalid_argument);
    }

    ser::ClipSet clips = synthetic_clips(16, 6, 60, 3);
    ser::TrainingConfig config = tiny_config();
    config.features.mel.n_mels = 6;
    config.features.mfcc.n_mfcc = 6;
    config.epochs = 1;
    config.corpus_sampling_power = 0.5;
    CHECK(config.label_mask == "off");  // the default (docs/TRAINING.md says why)
    config.label_mask = "auto";
    std::vector<std::size_t> tr, va;
    for (std::size_t i = 0; i < clips.items.size(); ++i) (i % 4 == 0 ? va : tr).push_back(i);
    ser::FitOptions options;
    options.threads = 1;
    CHECK_FALSE(ser::fit(config, clips, tr, va, options).label_masked);  // one corpus: nothing to mask
    // A second corpus that never recorded "angry".
    for (std::size_t i = 0; i < clips.items.size(); ++i)
        if (i % 2 == 0 && clips.items[i].label != "angry") clips.items[i].corpus = ser::Corpus::nemo;
    CHECK(ser::fit(config, clips, tr, va, options).label_masked);
    config.label_mask = "off";
    CHECK_FALSE(ser::fit(config, clips, tr, va, options).label_masked);
}

TEST_CASE("fit learns a separable problem, is deterministic, and keeps the best epoch") {
    const ser::ClipSet clips = synthetic_clips(24, 6, 60, 1);
    ser::TrainingConfig config = tiny_config();
    config.features.mel.n_mels = 6;  // only the channel count matters to fit(); features are given
    config.features.mfcc.n_mfcc = 6;
    const auto train = range(0, clips.items.size(), 1);
    std::vector<std::size_t> tr, va;
    for (std::size_t i : train) (i % 4 == 0 ? va : tr).push_back(i);

    ser::FitOptions options;
    options.threads = 2;
    ser::FitResult a = ser::fit(config, clips, tr, va, options);
    REQUIRE(a.history.size() >= 2);
    CHECK(a.history.back().train_loss < a.history.front().train_loss);
    CHECK(a.history.back().validation_uar > 0.6);
    CHECK(a.best_epoch >= 1);
    CHECK(a.normalisation.per_utterance);

    ser::FitResult b = ser::fit(config, clips, tr, va, options);
    CHECK(weights(a.network) == weights(b.network));
}

TEST_CASE("an interrupted run resumed from its checkpoint ends with the same weights") {
    const ser::ClipSet clips = synthetic_clips(20, 6, 60, 2);
    ser::TrainingConfig config = tiny_config();
    config.features.mel.n_mels = 6;  // only the channel count matters to fit(); features are given
    config.features.mfcc.n_mfcc = 6;
    config.early_stopping.patience = 0;
    std::vector<std::size_t> tr, va;
    for (std::size_t i = 0; i < clips.items.size(); ++i) (i % 5 == 0 ? va : tr).push_back(i);
    const auto dir = std::filesystem::temp_directory_path() / "ser_fit_resume_test";
    std::filesystem::create_directories(dir);
    const auto checkpoint = dir / "run.checkpoint";
    std::filesystem::remove(checkpoint);

    ser::FitOptions plain;
    plain.threads = 2;
    ser::FitResult uninterrupted = ser::fit(config, clips, tr, va, plain);

    // Stop in the middle of the second epoch, as Ctrl-C would.
    std::atomic<bool> stop{false};
    int batches_seen = 0;
    ser::FitOptions first = plain;
    first.checkpoint = checkpoint;
    first.stop = &stop;
    first.on_progress = [&](const ser::FitProgress& p) {
        if (++batches_seen == 5) stop = true;
        (void)p;
    };
    ser::FitResult part = ser::fit(config, clips, tr, va, first);
    REQUIRE(part.interrupted);
    REQUIRE(std::filesystem::exists(checkpoint));

    ser::FitOptions second = plain;
    second.checkpoint = checkpoint;
    second.resume = true;
    ser::FitResult resumed = ser::fit(config, clips, tr, va, second);
    CHECK_FALSE(resumed.interrupted);
    CHECK(resumed.history.size() == uninterrupted.history.size());
    CHECK(weights(resumed.network) == weights(uninterrupted.network));

    // A checkpoint from another config is refused with a clear message.
    config.seed = 8;
    ser::FitOptions other = second;
    CHECK_THROWS_WITH_AS(ser::fit(config, clips, tr, va, other), doctest::Contains("another config"), std::runtime_error);
    std::filesystem::remove_all(dir);
}

TEST_CASE("weight averaging: strict keys; the model is the mean of the averaged epochs' weights, also after a resume") {
    json j = {{"features", "default"}, {"network", {{"layers", {{{"type", "dense"}, {"units", "labels"}}}}}},
              {"training", {{"epochs", 10}, {"weight_averaging", {{"from_epoch", 6}}}}}};
    const auto parsed = ser::training_config_from_json(j);
    REQUIRE(parsed.average_from_epoch);
    CHECK(*parsed.average_from_epoch == 6);
    CHECK(ser::training_config_from_json(ser::to_json(parsed)).average_from_epoch == parsed.average_from_epoch);
    for (const json& bad : {json{{"from_epoch", 0}}, json{{"from_epoch", 11}}, json::object(), json{{"from", 3}}}) {
        j["training"]["weight_averaging"] = bad;
        CHECK_THROWS_WITH_AS(ser::training_config_from_json(j), doctest::Contains("training.weight_averaging"), std::invalid_argument);
    }

    const ser::ClipSet clips = synthetic_clips(12, 6, 60, 4);
    ser::TrainingConfig config = tiny_config();
    config.features.mel.n_mels = 6;
    config.features.mfcc.n_mfcc = 6;
    config.early_stopping.patience = 0;
    const auto all = range(0, clips.items.size());
    ser::FitOptions options;
    options.threads = 2;
    // Without validation a run ends with its last epoch's weights; the same run three and four
    // epochs long (the schedule is set for four) gives the two averaged epochs' weights.
    config.epochs = 3;
    ser::FitResult third = ser::fit(config, clips, all, {}, options);
    config.epochs = 4;
    ser::FitResult fourth = ser::fit(config, clips, all, {}, options);
    CHECK(fourth.averaged_epochs == 0);
    config.average_from_epoch = 3;
    ser::FitResult averaged = ser::fit(config, clips, all, {}, options);
    CHECK(averaged.averaged_epochs == 2);
    const auto a = weights(third.network), b = weights(fourth.network), mean = weights(averaged.network);
    REQUIRE(mean.size() == a.size());
    CHECK(mean != b);
    for (std::size_t t = 0; t < mean.size(); ++t)
        for (std::size_t i = 0; i < mean[t].size(); ++i) CHECK(mean[t][i] == doctest::Approx((a[t][i] + b[t][i]) / 2.0f).epsilon(1e-5));

    // Interrupted in the fourth epoch, with one epoch already in the average: the same weights.
    ser::FitResult resumed = stopped_and_resumed(config, clips, all, options, 4, "ser_fit_average_test");
    CHECK(resumed.averaged_epochs == 2);
    CHECK(weights(resumed.network) == mean);
}

TEST_CASE("an adversary: strict keys; it trains beside the network, resumes exactly and leaves no trace in the model") {
    json j = {{"features", "default"}, {"network", {{"layers", {{{"type", "dense"}, {"units", "labels"}}}}}},
              {"training", {{"adversary", {{"weight", 0.3}}}}}};
    const auto parsed = ser::training_config_from_json(j);
    REQUIRE(parsed.adversary);
    CHECK(parsed.adversary->target == "corpus");
    CHECK(parsed.adversary->units == 64);
    const auto again = ser::training_config_from_json(ser::to_json(parsed));
    REQUIRE(again.adversary);
    CHECK(again.adversary->weight == 0.3);
    for (const json& bad : {json{{"weight", -1}}, json::object(), json{{"weight", 0.1}, {"target", "room"}},
                            json{{"weight", 0.1}, {"units", 0}}, json{{"weight", 0.1}, {"lambda", 1}}}) {
        j["training"]["adversary"] = bad;
        CHECK_THROWS_WITH_AS(ser::training_config_from_json(j), doctest::Contains("training.adversary"), std::invalid_argument);
    }
    j["training"]["adversary"] = {{"weight", 0.1}};
    j["training"]["mixup_alpha"] = 0.2;
    CHECK_THROWS_WITH_AS(ser::training_config_from_json(j), doctest::Contains("mixup"), std::invalid_argument);

    ser::ClipSet clips = synthetic_clips(12, 6, 60, 5);
    ser::TrainingConfig config = tiny_config();
    config.features.mel.n_mels = 6;
    config.features.mfcc.n_mfcc = 6;
    config.early_stopping.patience = 0;
    config.mixup_alpha = 0.0;
    config.epochs = 3;
    const auto all = range(0, clips.items.size());
    ser::FitOptions options;
    options.threads = 2;
    ser::FitResult plain = ser::fit(config, clips, all, {}, options);
    config.adversary = ser::TrainingConfig::Adversary{"corpus", 0.5, 8};
    CHECK_THROWS_WITH_AS(ser::fit(config, clips, all, {}, options), doctest::Contains("one corpus"), std::invalid_argument);
    // A corpus whose clips lack one of the labels: refused, the label would be hidden too.
    for (std::size_t i = 0; i < clips.items.size(); ++i)
        if (clips.label[i] != 0) clips.items[i].corpus = ser::Corpus::tess;
    CHECK_THROWS_WITH_AS(ser::fit(config, clips, all, {}, options), doctest::Contains("record different labels"), std::invalid_argument);
    for (std::size_t i = 0; i < clips.items.size(); ++i) clips.items[i].corpus = i % 2 ? ser::Corpus::ravdess : ser::Corpus::tess;

    ser::FitResult pushed = ser::fit(config, clips, all, {}, options);
    REQUIRE(pushed.history.size() == 3);
    for (const auto& r : pushed.history) CHECK(std::isfinite(r.adversary_loss));
    CHECK(ser::epoch_record_from_json(ser::to_json(pushed.history.back())).adversary_loss == pushed.history.back().adversary_loss);
    CHECK(std::isnan(plain.history.back().adversary_loss));
    const auto w = weights(pushed.network);
    const auto p = weights(plain.network);
    REQUIRE(w.size() == p.size());  // the head is not part of the model
    CHECK(w != p);

    ser::FitResult resumed = stopped_and_resumed(config, clips, all, options, 2, "ser_fit_adversary_test");
    CHECK(weights(resumed.network) == w);
    CHECK(resumed.history.back().adversary_loss == pushed.history.back().adversary_loss);
}

TEST_CASE("a network whose output does not match the labels is refused before training") {
    const ser::ClipSet clips = synthetic_clips(4, 6, 60, 3);
    ser::TrainingConfig config = tiny_config();
    config.network["layers"][5]["units"] = 4;
    const auto all = range(0, clips.items.size());
    CHECK_THROWS_WITH_AS(ser::fit(config, clips, all, {}, {}), doctest::Contains("labels"), std::invalid_argument);
}

}
