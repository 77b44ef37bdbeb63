#include "app/state/live_timeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace ser::app {

namespace {

double or_model(double value, double model_value) { return value > 0.0 ? value : model_value; }

}  // namespace

const char* to_string(LiveState state) {
    switch (state) {
        case LiveState::listening: return "listening";
        case LiveState::speech: return "speech";
        case LiveState::silence: return "silence";
        case LiveState::noise: return "noise";
    }
    return "?";
}

LiveTimeline::LiveTimeline(const Model& model, int input_rate, const LiveSettings& settings, double started_ms,
                         double history_s)
    : analyzer_(model, input_rate, settings),
      classes_(model.labels.size()),
      hop_s_(or_model(settings.hop_s, model.analysis.hop_s)),
      window_s_(or_model(settings.window_s, model.analysis.window_s)),
      started_ms_(started_ms),
      current_(classes_, 0.0f),
      capacity_(static_cast<std::size_t>(std::ceil(history_s / hop_s_)) + 1),
      end_s_(capacity_),
      loud_dbfs_(capacity_),
      flags_(capacity_),
      probabilities_(capacity_ * classes_),
      smoothed_(capacity_ * classes_) {}

void LiveTimeline::push(std::span<const float> samples, double now_ms) {
    const auto start = std::chrono::steady_clock::now();
    analyzer_.push(samples, [&](const AnalysedWindow& r) { record(r, now_ms); });
    push_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    samples_pushed_ += static_cast<std::int64_t>(samples.size());
}

void LiveTimeline::record(const AnalysedWindow& r, double now_ms) {
    if (first_result_ms_ < 0.0) first_result_ms_ = now_ms - started_ms_;
    switch (r.activity.verdict) {
        case Activity::speech: state_ = LiveState::speech; break;
        case Activity::silence: state_ = LiveState::silence; break;
        case Activity::noise: state_ = LiveState::noise; break;
    }

    has_current_ = !r.smoothed.empty();
    if (has_current_) std::copy(r.smoothed.begin(), r.smoothed.end(), current_.begin());

    const std::size_t at = next_;
    end_s_[at] = r.end_s;
    loud_dbfs_[at] = r.activity.loud_dbfs;
    flags_[at] = static_cast<unsigned char>((r.activity.is_speech && !r.probabilities.empty() ? 1 : 0) |
                                            (has_current_ ? 2 : 0));
    float* p = probabilities_.data() + at * classes_;
    if (!r.probabilities.empty()) std::copy(r.probabilities.begin(), r.probabilities.end(), p);
    if (has_current_) std::copy(r.smoothed.begin(), r.smoothed.end(), smoothed_.data() + at * classes_);
    next_ = (next_ + 1) % capacity_;
    count_ = std::min(count_ + 1, capacity_);
    ++results_;

    if (!r.activity.is_speech) return;
    const double hop_ms = r.feature_ms + r.inference_ms;
    recent_ms_[static_cast<std::size_t>(speech_hops_) % recent_hops] = hop_ms;
    speech_hop_ms_ += hop_ms;
    feature_ms_ += r.feature_ms;
    max_ms_ = std::max(max_ms_, hop_ms);
    ++speech_hops_;
}

std::span<const float> LiveTimeline::current() const {
    return has_current_ ? std::span<const float>(current_) : std::span<const float>();
}

LivePoint LiveTimeline::point(std::size_t i) const {
    const std::size_t at = (next_ + capacity_ - count_ + i) % capacity_;
    LivePoint p;
    p.end_s = end_s_[at];
    p.loud_dbfs = loud_dbfs_[at];
    p.speech = (flags_[at] & 1) != 0;
    if (p.speech) p.probabilities = {probabilities_.data() + at * classes_, classes_};
    if ((flags_[at] & 2) != 0) p.smoothed = {smoothed_.data() + at * classes_, classes_};
    return p;
}

LiveCost LiveTimeline::cost() const {
    LiveCost c;
    c.hops = results_;
    c.speech_hops = speech_hops_;
    const double audio_ms = 1000.0 * static_cast<double>(samples_pushed_) / analyzer_.input_rate();
    c.real_time_factor = audio_ms > 0.0 ? push_ms_ / audio_ms : 0.0;
    if (speech_hops_ == 0) return c;
    c.last_ms = recent_ms_[static_cast<std::size_t>(speech_hops_ - 1) % recent_hops];
    c.mean_ms = speech_hop_ms_ / static_cast<double>(speech_hops_);
    c.max_ms = max_ms_;
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(speech_hops_, recent_hops));
    std::array<double, recent_hops> sorted = recent_ms_;
    std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n));
    c.median_ms = sorted[n / 2];
    c.p95_ms = sorted[std::min(n - 1, static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(n))) - 1)];
    c.feature_ms = feature_ms_ / static_cast<double>(speech_hops_);
    c.inference_ms = c.mean_ms - c.feature_ms;
    return c;
}

}  // namespace ser::app
