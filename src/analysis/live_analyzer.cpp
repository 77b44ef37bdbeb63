#include "analysis/live_analyzer.h"

#include <cmath>
#include <stdexcept>

namespace ser {

namespace {

std::size_t samples_of(double seconds, int rate) { return static_cast<std::size_t>(std::lround(seconds * rate)); }

double or_default(double value, double fallback) { return value > 0.0 ? value : fallback; }

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
}

void LiveAnalyzer::reset() {
    resampler_.reset();
    smoother_.reset();
    ring_.clear();
    until_hop_ = hop_samples_;
    total_ = 0;
    window_.clear();
}

LiveResult LiveAnalyzer::analyse_window() {
    window_.resize(ring_.size());
    ring_.copy_recent(window_);
    LiveResult r;
    r.end_s = stream_seconds();
    r.window_s = static_cast<double>(window_.size()) / model_rate();
    r.activity = analyzer_.activity(window_);
    if (r.activity.is_speech) {
        r.probabilities = analyzer_.classify_window(window_);
        r.smoothed = smoother_.push(r.probabilities);
        r.feature_ms = analyzer_.predictor().last_feature_ms();
        r.inference_ms = analyzer_.predictor().last_inference_ms();
    } else {
        smoother_.skip();
        if (smoother_.has_value()) r.smoothed = smoother_.current();
    }
    return r;
}

}  // namespace ser
