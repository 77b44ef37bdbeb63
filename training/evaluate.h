#pragma once
// Scoring clips with a network exactly as inference does: each clip's windows (or its whole
// pooled vector) normalised, through the network, and the clip's probabilities as the mean
// of its windows' probabilities.

#include <span>
#include <vector>

#include "model/model.h"
#include "nn/network.h"
#include "nn/thread_pool.h"
#include "training/dataset.h"
#include "training/fit.h"
#include "training/metrics.h"

namespace ser {

struct ClipScores {
    int classes = 0;
    std::vector<float> clip_probabilities;  // [clips][classes], clips in the order asked for
    std::vector<float> window_logits;       // [windows][classes]
    std::vector<int> window_clip;           // which asked-for clip each window belongs to
};

// Which of a clip's views is scored: as the analyser sees a clip (with the edges of
// input.edge_s; clean or under a test condition), or bare, its own windows only, as a live
// stream slices them: what window-level figures and the temperature are measured on, so
// that windows reaching into the edges' silence do not count as windows a listener meets.
enum class Framing { analysed, bare };

// Features of clips.items[i] for i in `items`: clean, or under clips.conditioned[condition].
// `temperature` divides the logits before the softmax (calibration). Bare framing is for
// clean clips only (condition -1).
ClipScores score_clips(nn::Network& network, const Normalisation& normalisation, const InputShape& shape,
                       const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> items,
                       nn::ThreadPool* pool, float temperature = 1.0f, int condition = -1,
                       Framing framing = Framing::analysed);

// argmax per row of a [rows][classes] matrix.
std::vector<int> predicted_classes(std::span<const float> scores, int classes);

// The labels of clips.items[i] for i in `items`, and the scores of clip probabilities
// ([items][labels]) against them.
std::vector<int> truth_of(const ClipSet& clips, std::span<const std::size_t> items);
ClassificationScores clip_scores(const ClipSet& clips, std::span<const std::size_t> items, std::span<const float> clip_probabilities);
// The label of each of `scores`' windows (scored from clips.items[i], i in `items`).
std::vector<int> window_truth(const ClipSet& clips, std::span<const std::size_t> items, const ClipScores& scores);

}  // namespace ser
