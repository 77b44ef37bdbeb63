#pragma once
// One analysis window through a model: its class probabilities, its voice-activity verdict
// and its frame loudness. The step the Analyzer (analyzer.h) takes for every window it
// slices, and nothing else: it knows no stream, no clip and no timeline.

#include <span>
#include <string>
#include <vector>

#include "analysis/voice_activity.h"
#include "model/model.h"
#include "model/predictor.h"

namespace ser {

class WindowClassifier {
public:
    // Throws ModelError when the model's hop does not line up with its feature frames.
    explicit WindowClassifier(const Model& model);

    // One window's probabilities from its samples, valid until the next call; no allocation
    // after the first call for a given length.
    std::span<const float> classify(std::span<const float> pcm);
    // The same for a frame model's window given as its feature frames ([channels][frames],
    // computed elsewhere from exactly the window's samples: the Analyzer's FrameRing), with
    // their levels when the ring kept them.
    std::span<const float> classify_frames(const FeatureMatrix& frames, std::span<const float> levels = {});
    // Whether a window holds speech: the one voice-activity step of every path.
    VoiceActivity activity(std::span<const float> window) { return vad_.analyse(window); }
    void set_activity_threshold(float dbfs) { vad_.set_threshold_dbfs(dbfs); }

    // After a window's classification, keeps its frame loudness in a clip's `levels`
    // (indexed by frame from the clip's start; left empty for models without a speech range):
    // what weighs the clip's windows (model_input.h).
    void note_levels(std::size_t start, std::vector<float>& levels) const;
    // The same for a window noted in another analysis of the same clip (a share of a split
    // clip): its levels are taken from that analysis' `noted`.
    void carry_levels(std::size_t start, std::span<const float> noted, std::vector<float>& levels) const;

    int sample_rate() const { return predictor_.sample_rate(); }
    const Predictor& predictor() const { return predictor_; }
    const std::vector<std::string>& labels() const { return predictor_.labels(); }
    bool pooled() const { return pooled_; }
    int window_frames() const { return window_frames_; }  // frame models: the network's input
    std::size_t hop_length() const { return hop_length_; }  // samples per feature frame

private:
    void put_levels(std::size_t start, std::span<const float> window_levels, std::vector<float>& levels) const;

    Predictor predictor_;
    VoiceActivityDetector vad_;
    bool pooled_ = false;
    int window_frames_ = 0;
    std::size_t hop_length_ = 0;
};

}  // namespace ser
