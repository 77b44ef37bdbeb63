#include "analysis/live_analyzer.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace ser {

namespace {

std::size_t samples_of(double seconds, int rate) { return static_cast<std::size_t>(std::lround(seconds * rate)); }

double or_default(double value, double fallback) { return value > 0.0 ? value : fallback; }

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

LiveAnalyzer::LiveAnalyzer(const Model& model, int input_rate, LiveSettings settings)
    : analyzer_(model),
      resampler_(input_rate, model.features.sample_rate),
      smoother_(static_cast<int>(model.labels.size()), or_default(settings.hop_s, model.analysis.hop_s), settings.smoothing_s),
      ring_(samples_of(or_default(settings.window_s, model.analysis.window_s), model.features.sample_rate)),
      hop_samples_(samples_of(or_default(settings.hop_s, model.analysis.hop_s), model.features.sample_rate)),
      min_window_samples_(std::min(ring_.capacity(), samples_of(settings.min_window_s, model.features.sample_rate))),
      until_hop_(hop_samples_) {
    if (hop_samples_ == 0) throw std::invalid_argument("live analysis: the hop must be at least one sample");
    analyzer_.set_activity_threshold(settings.activity_threshold_dbfs);
    const std::size_t expected_block = static_cast<std::size_t>(input_rate);  // a second at the input rate
    resampled_.reserve(static_cast<std::size_t>(resampler_.output_length(static_cast<std::int64_t>(expected_block))) + 64);
    window_.reserve(ring_.capacity());
    // A window's frames are the stream's frames only when every window starts on a frame
    // boundary: hops and the full window must be whole feature hops (the filling window
    // starts at the stream's start).
    const auto feature_hop = static_cast<std::size_t>(model.features.stft.hop_length);
    const int window_frames = static_cast<int>(analyzer_.predictor().frames_for(ring_.capacity()));
    if (settings.incremental_features && analyzer_.predictor().frame_local() && window_frames >= 1 &&
        hop_samples_ % feature_hop == 0 && ring_.capacity() % feature_hop == 0)
        frames_.emplace(model.features, window_frames);
}

void LiveAnalyzer::reset() {
    resampler_.reset();
    smoother_.reset();
    ring_.clear();
    until_hop_ = hop_samples_;
    total_ = 0;
    window_.clear();
    if (frames_) frames_->reset();
    hop_feature_ms_ = 0.0;
}

void LiveAnalyzer::push_frames(std::span<const float> samples) {
    const auto start = std::chrono::steady_clock::now();
    frames_->push(samples);
    hop_feature_ms_ += ms_since(start);
}

std::span<const float> LiveAnalyzer::classify_from_frames() {
    const int count = static_cast<int>(analyzer_.predictor().frames_for(window_.size()));
    if (count < 1) return analyzer_.classify_window(window_);  // shorter than a frame: its refusal
    const auto start = std::chrono::steady_clock::now();
    frames_->copy_recent(count, window_frames_);
    hop_feature_ms_ += ms_since(start);
    return analyzer_.classify_frames(window_frames_);
}

LiveResult LiveAnalyzer::analyse_window() {
    window_.resize(ring_.size());
    ring_.copy_recent(window_);
    LiveResult r;
    r.end_s = stream_seconds();
    r.window_s = static_cast<double>(window_.size()) / model_rate();
    r.activity = analyzer_.activity(window_);
    if (r.activity.is_speech) {
        r.probabilities = frames_ ? classify_from_frames() : analyzer_.classify_window(window_);
        r.smoothed = smoother_.push(r.probabilities);
        r.feature_ms = frames_ ? hop_feature_ms_ : analyzer_.predictor().last_feature_ms();
        r.inference_ms = analyzer_.predictor().last_inference_ms();
    } else {
        r.feature_ms = hop_feature_ms_;
        smoother_.skip();
        if (smoother_.has_value()) r.smoothed = smoother_.current();
    }
    return r;
}

}  // namespace ser
