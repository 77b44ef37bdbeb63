#pragma once
// The microphone path: audio at the device's rate in, one result every hop out. The audio
// is resampled (the same streaming resampler as everywhere), kept in a ring the length of
// the model's window, and every hop the window is checked for speech and, if it holds
// speech, classified exactly as ClipAnalyzer classifies a window of a file. Until the
// ring is full, the window is all the audio so far (from min_window_s on), so the first
// result arrives about a second after the microphone starts rather than after a full
// window. Nothing is allocated per hop once running.
//
// With frame-local features (the `default` preset; frame_local_violation) the feature
// frames are computed as the audio arrives and kept in a ring of one window's frames, so a
// hop computes only its own new frames instead of the whole window's; the window's frames
// are then normalised and classified as before, and its probabilities are bit for bit those
// of the window's own samples (tested). That needs windows and hops of whole feature hops;
// other models and settings compute each window's features from its samples.

#include <optional>
#include <span>
#include <vector>

#include "analysis/clip_analysis.h"
#include "analysis/smoother.h"
#include "analysis/voice_activity.h"
#include "audio/resampler.h"
#include "audio/sample_ring.h"
#include "features/frame_ring.h"

namespace ser {

struct LiveSettings {
    double window_s = 0.0;             // 0: the model's analysis window
    double hop_s = 0.0;                // 0: the model's analysis hop
    double smoothing_s = 1.0;          // time constant of the probability smoother
    double min_window_s = 1.0;         // shortest audio classified while the ring fills
    float activity_threshold_dbfs = -50.0f;
    // false: every hop computes its whole window's features (the benchmark's baseline).
    bool incremental_features = true;
};

struct LiveResult {
    double end_s = 0.0;                    // stream time of the window's last sample
    double window_s = 0.0;                 // how much audio the window held
    VoiceActivity activity;
    std::span<const float> probabilities;  // this window's (empty when not speech)
    std::span<const float> smoothed;       // over recent speech windows (empty before any)
    // This hop's feature cost: its new frames' when computed incrementally (paid whether or
    // not the window holds speech), else the whole window's (0 when not speech).
    double feature_ms = 0.0;
    double inference_ms = 0.0;     // 0 when not speech
};

class LiveAnalyzer {
public:
    LiveAnalyzer(const Model& model, int input_rate, LiveSettings settings = {});

    // Feeds audio at the input rate; calls on_result for every hop completed by it. The
    // spans in a result are valid only during the call.
    template <class OnResult>
    void push(std::span<const float> samples, OnResult&& on_result) {
        resampled_.clear();
        resampler_.push(samples, resampled_);
        std::span<const float> pending(resampled_);
        while (!pending.empty()) {
            const std::size_t take = std::min(pending.size(), until_hop_);
            if (frames_) push_frames(pending.first(take));
            ring_.push(pending.first(take));
            pending = pending.subspan(take);
            until_hop_ -= take;
            total_ += take;
            if (until_hop_ == 0) {
                until_hop_ = hop_samples_;
                if (ring_.size() >= min_window_samples_) on_result(analyse_window());
                hop_feature_ms_ = 0.0;
            }
        }
    }

    void reset();  // a new stream: forgets audio, smoothing and stream time
    void set_smoothing(double seconds) { smoother_.set_time_constant(seconds); }
    void set_activity_threshold(float dbfs) { analyzer_.set_activity_threshold(dbfs); }

    int model_rate() const { return analyzer_.sample_rate(); }
    int input_rate() const { return resampler_.input_rate(); }
    double stream_seconds() const { return static_cast<double>(total_) / model_rate(); }
    const std::vector<std::string>& labels() const { return analyzer_.labels(); }
    // The latest window's audio at the model rate (for displays), oldest first.
    std::span<const float> window() const { return window_; }
    // Whether hops compute only their new feature frames (see above).
    bool incremental() const { return frames_.has_value(); }

private:
    LiveResult analyse_window();
    void push_frames(std::span<const float> samples);
    std::span<const float> classify_from_frames();

    ClipAnalyzer analyzer_;
    Resampler resampler_;
    ProbabilitySmoother smoother_;
    SampleRing ring_;
    std::size_t hop_samples_;
    std::size_t min_window_samples_;
    std::size_t until_hop_;
    std::size_t total_ = 0;
    std::vector<float> resampled_;
    std::vector<float> window_;
    std::optional<FrameRing> frames_;  // set when hops compute only their new frames
    FeatureMatrix window_frames_;
    double hop_feature_ms_ = 0.0;      // spent on frames since the last hop
};

}  // namespace ser
