#pragma once
// How audio features become network inputs, identically in training, evaluation, the CLI
// and the browser: fixed-length windows of frames (a clip shorter than a window is looped
// to fill it), each normalised per utterance and then with the model's statistics.

#include <span>
#include <vector>

#include "features/feature_matrix.h"
#include "model/model.h"

namespace ser {

// Window start frames for a clip of `frames` frames: every `hop` frames while a whole
// window fits, and at least one window (starting at 0) however short the clip.
std::vector<int> window_starts(int frames, int window, int hop);

// Copies frames [start, start + window) of `clip` ([channels][frames]) into `out`
// ([channels][window]); frames past the clip's end wrap around to its beginning.
void copy_window(const FeatureMatrix& clip, int start, int window, std::span<float> out);

// Normalises one [channels][time] input in place: each channel's own time mean removed
// when per_utterance is set, then (x - mean) / std per channel, or per element for a
// pooled input.
void normalise_input(std::span<float> input, int channels, int time, bool pooled, const Normalisation& normalisation);

}  // namespace ser
