#pragma once
// How audio features become network inputs, identically in training, evaluation, the CLI
// and the browser: fixed-length windows of frames (a clip shorter than a window is looped
// to fill it), each normalised per utterance and then with the model's statistics.
//
// With Normalisation::speech_range_db set, a window keeps only its speech: frames far below
// its loudest frame are dropped and the kept ones looped to the window's length. Everything
// is relative to the window's own loudest frame, so a quieter speaker (or a louder one) and
// silence before, after or between the words give the network the same input.

#include <span>
#include <vector>

#include "features/feature_extractor.h"
#include "features/feature_matrix.h"
#include "features/frame_levels.h"
#include "model/model.h"

namespace ser {

// Window start frames for a clip of `frames` frames: every `hop` frames while a whole
// window fits, and at least one window (starting at 0) however short the clip.
std::vector<int> window_starts(int frames, int window, int hop);

// Copies frames [start, start + window) of `clip` ([channels][frames]) into `out`
// ([channels][window]). Without a speech range, frames past the clip's end wrap around to
// its beginning. With one, the frames of [start, min(start + window, end)) within
// speech_range_db of the loudest of them are kept in order and looped to fill the window.
// `levels` are the clip's frame_levels (needed only with a speech range); `kept` is scratch
// space, so that a caller that keeps it allocates nothing per window.
void copy_window(const FeatureMatrix& clip, int start, int window, std::span<float> out);
void gather_window(const FeatureMatrix& clip, std::span<const float> levels, int start, int window,
                   const Normalisation& normalisation, std::span<float> out, std::vector<int>& kept);

// How much each window counts in its clip's mean: the number of its frames within
// speech_range_db of the loudest frame any window covers, so that windows of silence around
// the speech count for nothing; 1 each without a speech range. `levels` are the clip's
// frame_levels; `speech_frames` counts the covered frames within that range (all covered
// frames without one).
struct WindowWeights {
    std::vector<float> weights;
    int speech_frames = 0;
};
WindowWeights weigh_windows(std::span<const float> levels, std::span<const int> starts, int window,
                            const Normalisation& normalisation);

// A whole clip's features as the analyser (src/analysis) frames it: with analysis.edge_s of
// digital silence before and after its samples (model-rate PCM), so that its windows also
// reach past its edges. What a caller that cuts a clip's windows itself (adaptation) must
// start from to see the windows inference classifies.
void analysed_clip_features(const Model& m, FeatureExtractor& extractor, std::span<const float> pcm, FeatureMatrix& out);

// Normalises one [channels][time] input in place: values raised to floor_db below the
// input's peak when a floor is set, each channel's own time mean removed when
// per_utterance is set, then (x - mean) / std per channel, or per element for a pooled
// input.
void normalise_input(std::span<float> input, int channels, int time, bool pooled, const Normalisation& normalisation);

}  // namespace ser
