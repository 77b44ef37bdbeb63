#pragma once
// The microphone's emotion analysis as the UI shows it: a live Analyzer fed with the
// microphone's blocks, the state of the latest hop (listening, or the voice-activity verdict
// of its window: speech, silence or noise),
// a fixed-length history of hops for the scrolling timeline, and what each hop cost.
// All storage is sized at construction: pushing audio allocates nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "model/model.h"

namespace ser::app {

enum class LiveState { listening, speech, silence, noise };
const char* to_string(LiveState state);

struct LivePoint {
    double end_s = 0.0;        // stream time of the window's last sample
    bool speech = false;
    float loud_dbfs = -100.0f;
    std::span<const float> probabilities;  // the window's own; empty unless speech
    std::span<const float> smoothed;       // empty before the first speech
};

// Cost of the hops. Those with speech run the features and the network (the Analyzer times
// each), the others only the voice activity: the figures are of the hops with speech, which
// are the ones that must fit the budget.
struct LiveCost {
    std::int64_t hops = 0;
    std::int64_t speech_hops = 0;
    double last_ms = 0.0;    // the latest hop with speech
    double mean_ms = 0.0;
    double max_ms = 0.0;
    double median_ms = 0.0;  // of the most recent hops with speech
    double p95_ms = 0.0;
    double feature_ms = 0.0;
    double inference_ms = 0.0;
    double real_time_factor = 0.0;  // all of push() (resampling included) / audio time
};

class LiveTimeline {
public:
    static constexpr std::size_t recent_hops = 128;

    // started_ms: when the microphone started (page clock), for the first-result latency.
    LiveTimeline(const Model& model, int input_rate, const LiveSettings& settings, double started_ms,
                double history_s = 60.0);

    // now_ms: page clock at this block's arrival.
    void push(std::span<const float> samples, double now_ms);

    void set_smoothing(double seconds) { analyzer_.set_smoothing(seconds); }
    void set_activity_threshold(float dbfs) { analyzer_.set_activity_threshold(dbfs); }

    LiveState state() const { return state_; }
    // The latest smoothed probabilities (empty before the first speech, or after a long silence).
    std::span<const float> current() const;
    const std::vector<std::string>& labels() const { return analyzer_.labels(); }
    double stream_seconds() const { return analyzer_.stream_seconds(); }
    double hop_s() const { return hop_s_; }
    double window_s() const { return window_s_; }
    int input_rate() const { return analyzer_.input_rate(); }

    std::size_t points() const { return count_; }
    // i = 0 is the oldest point kept.
    LivePoint point(std::size_t i) const;
    std::int64_t results() const { return results_; }
    // Milliseconds from the start to the first result; negative before it.
    double first_result_ms() const { return first_result_ms_; }
    LiveCost cost() const;

private:
    void record(const AnalysedWindow& r, double now_ms);

    Analyzer analyzer_;
    std::size_t classes_;
    double hop_s_;
    double window_s_;
    double started_ms_;
    double first_result_ms_ = -1.0;
    LiveState state_ = LiveState::listening;
    bool has_current_ = false;
    std::vector<float> current_;

    // The timeline: a ring of `capacity_` points.
    std::size_t capacity_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
    std::int64_t results_ = 0;
    std::vector<double> end_s_;
    std::vector<float> loud_dbfs_;
    std::vector<unsigned char> flags_;  // bit 0 speech, bit 1 has smoothed
    std::vector<float> probabilities_;  // capacity_ x classes_
    std::vector<float> smoothed_;

    // Cost.
    double feature_ms_ = 0.0;  // summed over speech hops
    double speech_hop_ms_ = 0.0;
    std::int64_t speech_hops_ = 0;
    std::array<double, recent_hops> recent_ms_{};  // of speech hops
    double max_ms_ = 0.0;
    double push_ms_ = 0.0;
    std::int64_t samples_pushed_ = 0;
};

}  // namespace ser::app
