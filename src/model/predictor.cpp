#include "model/predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "features/feature_stream.h"
#include "model/model_input.h"
#include "nn/layers.h"

namespace ser {
namespace {

FeatureExtractor make_extractor(const FeatureConfig& config) {
    try {
        return FeatureExtractor(config);
    } catch (const std::exception& e) {
        throw ModelError(std::string("model file: this build cannot compute the model's feature_config (") + e.what() +
                         "); use the ser release the model was made with");
    }
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", s);
    return buf;
}

}  // namespace

void require_finite_features(const FeatureMatrix& features) {
    // A branch-free count first (it vectorises: every window passes here), then the walk
    // that names the first bad value only when there is one.
    std::size_t bad = 0;
    for (const float v : features.values) bad += !(std::fabs(v) <= std::numeric_limits<float>::max());
    if (bad == 0) return;
    const auto cols = static_cast<std::size_t>(features.cols);
    for (std::size_t i = 0; i < features.values.size(); ++i)
        if (!std::isfinite(features.values[i]))
            throw std::invalid_argument("features are not finite (row " + std::to_string(i / cols) + ", frame " +
                                        std::to_string(i % cols) + "): the audio holds NaN/Inf or extreme values");
}

Predictor::Predictor(const Model& model)
    : labels_(model.labels),
      extractor_(make_extractor(model.features)),
      norm_(model.normalisation),
      net_(model.network.folded()),
      pooled_(model.features.input.pooling == Pooling::mean),
      frame_local_(frame_local_violation(model.features).empty()),
      sample_rate_(model.features.sample_rate),
      temperature_(calibration_temperature(model)) {
    const nn::Shape in = net_.input_shape();
    const int channels = extractor_.channels();
    if (pooled_ ? !(in == nn::Shape{1, channels}) : in.channels != channels)
        throw ModelError("model file: the feature_config gives " +
                         (pooled_ ? "one pooled vector of " + std::to_string(channels) + " values"
                                  : std::to_string(channels) + " feature rows per frame") +
                         " but the network input is " + nn::to_string(in));
    net_.freeze();
    // Any clip of at least one frame is classified: a frame model loops a short clip (or the
    // speech frames of a window) to its input length, which statistics pooling then reads
    // as the clip itself. How little audio a result rests on is the analysis' to report.
    window_frames_ = in.time;
    std::size_t samples = 1;
    while (extractor_.frames_for(samples) < 1) ++samples;
    min_samples_ = samples;
    output_.resize(labels_.size());
}

std::span<const float> Predictor::logits(std::span<const float> pcm) {
    if (pcm.size() < min_samples_)
        throw std::invalid_argument("audio of " + seconds(static_cast<double>(pcm.size()) / sample_rate_) +
                                    " is shorter than one analysis frame: give at least " +
                                    seconds(static_cast<double>(min_samples_) / sample_rate_));
    const auto start = std::chrono::steady_clock::now();
    compute_features(pcm, features_);
    feature_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    prepare_input(features_);
    return run_network();
}

void Predictor::prepare_input(const FeatureMatrix& features, bool have_levels) {
    const int rows = features.rows;
    if (pooled_) {
        input_.assign(features.values.begin(), features.values.end());
        normalise_input(input_, 1, features.cols, true, norm_);
        return;
    }
    input_.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(window_frames_));
    if (norm_.speech_range_db > 0.0 && !have_levels) ser::frame_levels(features, norm_.level_rows, levels_);
    gather_window(features, levels_, 0, window_frames_, norm_, input_, kept_);
    normalise_input(input_, rows, window_frames_, false, norm_);
}

void Predictor::compute_features(std::span<const float> pcm, FeatureMatrix& out) {
    extractor_.compute(pcm, out);
    require_finite_features(out);
}

std::span<const float> Predictor::run_network() {
    const auto start = std::chrono::steady_clock::now();
    const nn::Batch& out = net_.forward(input_, 1, {});
    std::copy(out.data.begin(), out.data.begin() + static_cast<std::ptrdiff_t>(output_.size()), output_.begin());
    inference_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return output_;
}

void Predictor::softmax_output() {
    for (float& v : output_) v /= temperature_;
    nn::softmax_inplace(output_.data(), static_cast<int>(output_.size()));
}

std::span<const float> Predictor::probabilities_of_frames(const FeatureMatrix& frames, std::span<const float> levels) {
    if (pooled_ || frames.cols < 1 || frames.rows != extractor_.channels())
        throw std::invalid_argument("probabilities_of_frames: " + std::to_string(frames.rows) + " x " +
                                    std::to_string(frames.cols) + " frames are not a window a frame model can judge");
    const bool have_levels = norm_.speech_range_db > 0.0 && !levels.empty();
    if (have_levels) {
        if (levels.size() != static_cast<std::size_t>(frames.cols))
            throw std::invalid_argument("probabilities_of_frames: the frame levels do not match the frames");
        levels_.assign(levels.begin(), levels.end());
    }
    prepare_input(frames, have_levels);
    feature_ms_ = 0.0;
    run_network();
    softmax_output();
    return output_;
}

std::span<const float> Predictor::probabilities(std::span<const float> pcm) {
    logits(pcm);
    softmax_output();
    return output_;
}

}  // namespace ser
