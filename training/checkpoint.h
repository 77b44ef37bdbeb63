#pragma once
// What a training run needs to continue exactly where it stopped: the weights, the
// optimiser's moments, the step counter that seeds dropout, the position in the epoch,
// the running sums of the epoch, the history, and the best weights so far. Written
// atomically after every epoch and on Ctrl-C.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "nn/network.h"
#include "nn/trainer.h"
#include "training/fit.h"

namespace ser {

struct CheckpointState {
    std::string identity;     // the config and the data split; a mismatch refuses to resume
    int epoch = 0;            // epochs completed
    int batch = 0;            // batches completed in the epoch under way
    double loss_sum = 0.0;    // of the epoch under way
    double adversary_loss_sum = 0.0;
    std::int64_t correct = 0;
    std::int64_t seen = 0;
    double epoch_seconds = 0.0;
    std::vector<EpochRecord> history;
    int best_epoch = 0;       // 0: none yet
    double best_value = 0.0;
    std::vector<std::vector<float>> best_tensors;
    int bad_epochs = 0;
    bool stopped_early = false;
    // Weight averaging: the sum of the epochs' tensors averaged so far, and how many.
    std::vector<std::vector<float>> averaged_sum;
    int averaged_epochs = 0;
};

// Every tensor of the network (parameters and BatchNorm statistics), in order.
std::vector<std::vector<float>> snapshot_tensors(nn::Network& network);
void restore_tensors(nn::Network& network, const std::vector<std::vector<float>>& tensors);

void save_checkpoint(const std::filesystem::path& path, const CheckpointState& state, nn::Network& network,
                     nn::Trainer& trainer);
// Restores network and trainer and returns the rest. Throws std::runtime_error when the file
// is missing or damaged, or was written by a run with another config or data.
CheckpointState load_checkpoint(const std::filesystem::path& path, const std::string& identity, nn::Network& network,
                                nn::Trainer& trainer);

}  // namespace ser
