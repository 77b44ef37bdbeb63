#pragma once
// A whole clip through a model: its probabilities and its timeline of analysis windows.
// `ser predict`, `ser eval --model` and the browser's uploads all call this, so the same
// audio gives the same numbers everywhere, and the numbers training measured.
//
// Windows of the model's length start every hop while a whole window fits (a clip shorter
// than one window is one window, looped to length by the predictor), exactly as training
// cuts them; each is classified on its own audio. Frame-feature models take the clip's
// probabilities as the mean of its windows'; pooled models (the 162-dim recipe) as the
// whole clip's, and use the windows for the timeline only. With frame-local features (the
// `default` preset) a window's frames are the clip's frames at that place, so they are
// computed once for a stretch of windows and cut, with results bit-identical to computing
// each window's own (tested).

#include <span>
#include <vector>

#include "analysis/voice_activity.h"
#include "model/model.h"
#include "model/predictor.h"

namespace ser {

struct WindowResult {
    double start_s = 0.0;
    double end_s = 0.0;
    std::vector<float> probabilities;
    VoiceActivity activity;
};

struct ClipResult {
    std::vector<float> probabilities;
    int label = 0;                      // argmax of probabilities
    double duration_s = 0.0;            // of the clip analysed
    std::vector<WindowResult> windows;  // empty unless asked for
};

class ClipAnalyzer {
public:
    explicit ClipAnalyzer(const Model& model);

    // pcm at the model's sample rate. Throws std::invalid_argument for an empty or too
    // short clip and for non-finite samples (saying what to do).
    ClipResult analyse(std::span<const float> pcm, bool with_timeline);

    // One analysis window's probabilities, valid until the next call; no allocation after
    // the first call. The live path calls this every hop.
    std::span<const float> classify_window(std::span<const float> pcm);

    int sample_rate() const { return predictor_.sample_rate(); }
    const Predictor& predictor() const { return predictor_; }
    const std::vector<std::string>& labels() const { return predictor_.labels(); }

    // Sample offsets of the analysis windows of a clip of n samples.
    std::vector<std::size_t> window_starts(std::size_t n) const;

private:
    Predictor predictor_;
    VoiceActivityDetector vad_;
    bool pooled_ = false;
    std::size_t window_samples_ = 0;
    std::size_t hop_samples_ = 0;
    int window_frames_ = 0;
    int hop_frames_ = 0;
    std::size_t hop_length_ = 0;
    FeatureMatrix block_features_;
};

}  // namespace ser
