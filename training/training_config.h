#pragma once
// A training run as data: which labels, which features, how inputs are cut into windows,
// the network, the optimisation, augmentation and regularisation. Configs live in
// training/configs/*.json; docs/TRAINING.md documents every key.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "features/feature_config.h"
#include "nn/loss.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"
#include "training/augment/pipeline.h"
#include "training/labels.h"

namespace ser {

// How a clip becomes network inputs.
struct InputWindows {
    // 0: the whole clip is one input (pooled features such as the 162-dim recipe, or a
    // temporal net fed whole clips). Otherwise inputs are windows of this length...
    double window_s = 0.0;
    // ...sliding by this hop at evaluation and in the live app.
    double hop_s = 0.25;
    // How a clip's label is predicted from its windows: mean of the window probabilities.
    // Clips shorter than a window are looped to fill it, in training and at inference.
    // Scored clips (never the training windows) are framed by this much digital silence
    // at each end, as the model's analysis.edge_s (model.h).
    double edge_s = 0.0;
};

struct SpecAugmentConfig {
    int freq_masks = 0;   // masks over feature channels
    int freq_width = 0;   // each up to this many channels wide
    int time_masks = 0;   // masks over frames
    int time_width = 0;   // each up to this many frames wide
};

struct EarlyStopping {
    std::string metric = "uar";  // "uar", "accuracy" or "loss" (validation)
    int patience = 0;            // epochs without improvement before stopping; 0: never stop
};

struct TrainingConfig {
    std::string name;
    std::string description;
    LabelOptions labels;
    FeatureConfig features;
    bool per_utterance_normalisation = false;  // subtract each input's per-channel mean
    double speech_range_db = 0.0;  // Normalisation::speech_range_db / floor_db (model/model.h)
    double floor_db = 0.0;
    InputWindows input;
    nlohmann::json network;  // layer list; its "input" is filled in from features and windows

    int epochs = 40;
    int batch_size = 64;
    std::uint64_t seed = 1;
    nn::OptimizerConfig optimizer;
    nn::ScheduleConfig schedule;
    nn::LossConfig loss;            // label smoothing, mask leak (class weights come from balance_classes)
    bool balance_classes = false;   // weight classes by inverse frequency in the training set
    double mixup_alpha = 0.0;       // Beta(alpha, alpha) mixing of pairs; 0: off
    SpecAugmentConfig spec_augment;
    EarlyStopping early_stopping;
    double validation_fraction = 0.15;  // of the training side, whole speakers where possible
    // "corpus": each clip's loss (and the validation metric) ranges over its corpus's labels
    // only (nn/loss.h); "off": over all labels; "auto": "corpus" when the training side mixes
    // corpora whose label sets differ. Off by default: masked training lets a corpus's clips
    // drift into the labels it lacks when every label competes at test time (TRAINING.md).
    std::string label_mask = "off";  // its leak (a share of the plain loss mixed in) is loss.mask_leak
    // Corpus-balanced epochs (corpus_sampling.h): each corpus drawn in proportion to
    // n_c^power. Unset: every training clip once per epoch.
    std::optional<double> corpus_sampling_power;
    // Weight averaging: the model is the mean of the weights (and batch-norm statistics) at
    // the end of every epoch from this one (1-based) on, instead of the best epoch's. Unset:
    // off. An average of nearby solutions varies less from seed to seed (TRAINING.md).
    std::optional<int> average_from_epoch;
    // Domain-adversarial training (nn/trainer.h): a head on the pooled embedding learns to
    // tell the training side's corpora (or speakers) apart while the layers below are pushed
    // towards features on which it can only guess. Unset: off.
    struct Adversary {
        std::string target = "corpus";  // "corpus" or "speaker"
        double weight = 0.1;            // of the push at the end of the ramp
        int units = 64;                 // the head's hidden layer
    };
    std::optional<Adversary> adversary;

    AugmentationConfig augmentation;
    int augmented_copies = 0;  // augmented versions of each training clip, used in turn per epoch
};

// Strict: an unknown key anywhere is a std::invalid_argument naming its full path
// (e.g. "training.optimiser"); so is a wrong type or an out-of-range value.
TrainingConfig training_config_from_json(const nlohmann::json& json);
nlohmann::json to_json(const TrainingConfig& config);

// The network's layer list with its input shape filled in for these features and windows,
// and any `"units": "labels"` set to the number of classes.
nlohmann::json network_architecture(const TrainingConfig& config, int input_channels, int input_frames, int classes);

// Frames in one input window (0 when inputs are whole clips).
int window_frames(const TrainingConfig& config);

}  // namespace ser
