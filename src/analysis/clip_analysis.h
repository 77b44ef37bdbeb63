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
    // Seconds of speech the result rests on: the clip's frames within the model's speech
    // range of its loudest (the whole clip for models without one). Below
    // little_speech_s the answer is a guess from little audio, and says so.
    double speech_s = 0.0;
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
    // The same for a frame model's window given as its feature frames ([channels][frames],
    // computed elsewhere from exactly the window's samples: the live path's FrameRing).
    std::span<const float> classify_frames(const FeatureMatrix& frames);
    // Whether a window holds speech: the one voice-activity step of every path (whole
    // clips, streamed clips, the microphone).
    VoiceActivity activity(std::span<const float> window) { return vad_.analyse(window); }
    void set_activity_threshold(float dbfs) { vad_.set_threshold_dbfs(dbfs); }
    // A timeline entry: classified from `classify` (the window's audio, or the longer span
    // a frame model's window of frames needs), its voice activity judged on `window`, both
    // starting at `start` samples into the clip.
    WindowResult analyse_window(std::span<const float> classify, std::span<const float> window, std::size_t start);

    int sample_rate() const { return predictor_.sample_rate(); }
    const Predictor& predictor() const { return predictor_; }
    const std::vector<std::string>& labels() const { return predictor_.labels(); }

    // Sample offsets of the analysis windows of a clip of n samples.
    std::vector<std::size_t> window_starts(std::size_t n) const;

    // A clip analysed window by window (analyse, and ClipStream as audio arrives): after each
    // window's classification, note_levels(start, levels) keeps its frame loudness in the
    // clip's `levels` (indexed by frame; left empty for models without a speech range); then
    // average_windows sets the clip's probabilities, label-free, as the mean of its windows'
    // weighted by their speech (model_input.h), and its speech_s.
    void note_levels(std::size_t start, std::vector<float>& levels) const;
    // The same for a window noted in another analysis of the same clip (a share of a split
    // clip): its levels are taken from that analysis' `noted`.
    void carry_levels(std::size_t start, std::span<const float> noted, std::vector<float>& levels) const;
    void average_windows(std::span<const float> levels, std::span<const std::size_t> starts,
                         std::span<const float> probabilities, ClipResult& result) const;

private:
    void put_levels(std::size_t start, std::span<const float> window_levels, std::vector<float>& levels) const;

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

inline constexpr double little_speech_s = 1.0;

}  // namespace ser
