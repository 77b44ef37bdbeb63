#pragma once
// The training loop: epochs of shuffled mini-batches (random windows of random augmented
// copies, SpecAugment, mixup), validation each epoch, early stopping on the validation
// metric, a checkpoint after every epoch and on interruption, and exact resumption: a run
// that is stopped and resumed ends with the same weights as one that never stopped.

#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.h"
#include "nn/network.h"
#include "training/dataset.h"
#include "training/training_config.h"

namespace ser {

struct EpochRecord {
    int epoch = 0;  // 1-based
    double learning_rate = 0.0;
    double train_loss = 0.0;
    double train_accuracy = 0.0;
    double validation_loss = 0.0;  // NaN without a validation set
    double validation_accuracy = 0.0;
    double validation_uar = 0.0;
    double seconds = 0.0;
    double adversary_loss = std::nan("");  // its cross-entropy over the domains; NaN without one
};
nlohmann::json to_json(const EpochRecord& record);
EpochRecord epoch_record_from_json(const nlohmann::json& j);  // null numbers read as NaN

struct FitProgress {
    int epoch = 0, epochs = 0;     // epoch is 1-based
    int batch = 0, batches = 0;    // batches done in this epoch
    double loss = 0.0, accuracy = 0.0;  // running means over this epoch
    double eta_s = 0.0;            // for the remaining epochs at the current pace
};

struct FitOptions {
    int threads = 0;                        // 0: every core
    std::filesystem::path checkpoint;       // empty: no checkpoints
    bool resume = false;                    // continue from `checkpoint`
    const std::atomic<bool>* stop = nullptr;  // set (e.g. by Ctrl-C) to checkpoint and return
    std::function<void(const FitProgress&)> on_progress;
    std::function<void(const EpochRecord&)> on_epoch;
};

struct FitResult {
    nn::Network network;              // the best epoch's weights (the last without validation; the mean of
                                      // the averaged epochs' with weight averaging)
    Normalisation normalisation;
    std::vector<std::string> labels;
    std::vector<EpochRecord> history;
    int best_epoch = 0;
    int averaged_epochs = 0;  // weight averaging: the epochs the model is the mean of (0: off)
    bool early_stopped = false;
    bool interrupted = false;         // stopped by FitOptions::stop; the checkpoint holds the state
    bool label_masked = false;        // the loss was masked to each clip's corpus labels
};

// The fitted network as a model file's content (no training record): what a fold's model
// is when it is adapted, kept or ensembled. Clones the network; `fitted` stays usable.
Model model_of(const TrainingConfig& config, const ClipSet& clips, const FitResult& fitted);

// Trains on clips.variants of `train` (clean and augmented), validates on the clean
// versions of `validation` (may be empty). Throws std::runtime_error for a checkpoint that
// belongs to another config or data.
FitResult fit(const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> train,
              std::span<const std::size_t> validation, const FitOptions& options);

// What fitting decides about inputs, shared with evaluation.
struct InputShape {
    int channels = 0;
    int frames = 0;      // window frames, or the clip frames for whole-clip inputs
    bool pooled = false;
    bool windowed = false;
};
InputShape input_shape(const TrainingConfig& config, const ClipSet& clips);

}  // namespace ser
