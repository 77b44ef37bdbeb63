#include "model/predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
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
    // Pooled features need one frame. A temporal net sees windows of its input length (a
    // shorter clip is looped to fill one), but fewer frames than its receptive field would
    // be mostly repetition: refused.
    window_frames_ = in.time;
    min_frames_ = pooled_ ? 1 : std::min(net_.receptive_field(), window_frames_);
    std::size_t lo = 1, hi = 1;
    while (extractor_.frames_for(hi) < min_frames_) hi *= 2;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (extractor_.frames_for(mid) >= min_frames_) hi = mid;
        else lo = mid + 1;
    }
    min_samples_ = lo;
    output_.resize(labels_.size());
}

std::span<const float> Predictor::logits(std::span<const float> pcm) {
    if (pcm.size() < min_samples_)
        throw std::invalid_argument("audio of " + seconds(static_cast<double>(pcm.size()) / sample_rate_) + " is " +
                                    std::to_string(extractor_.frames_for(pcm.size())) +
                                    " frames, shorter than the model's receptive field of " + std::to_string(min_frames_) +
                                    " frames: give at least " + seconds(static_cast<double>(min_samples_) / sample_rate_));
    const auto start = std::chrono::steady_clock::now();
    compute_features(pcm, features_);
    feature_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const int rows = features_.rows;
    if (pooled_) {
        input_.assign(features_.values.begin(), features_.values.end());
        normalise_input(input_, 1, features_.cols, true, norm_);
    } else {
        input_.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(window_frames_));
        copy_window(features_, 0, window_frames_, input_);
        normalise_input(input_, rows, window_frames_, false, norm_);
    }
    return run_network();
}

void Predictor::compute_features(std::span<const float> pcm, FeatureMatrix& out) {
    extractor_.compute(pcm, out);
    const int cols = out.cols;
    for (std::size_t i = 0; i < out.values.size(); ++i)
        if (!std::isfinite(out.values[i]))
            throw std::invalid_argument("features are not finite (row " + std::to_string(i / static_cast<std::size_t>(cols)) +
                                        ", frame " + std::to_string(i % static_cast<std::size_t>(cols)) +
                                        "): the audio holds NaN/Inf or extreme values");
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

std::span<const float> Predictor::probabilities_of_frames(const FeatureMatrix& frames, int first, int count) {
    if (pooled_ || count < min_frames_ || first < 0 || first + count > frames.cols)
        throw std::invalid_argument("probabilities_of_frames: frames " + std::to_string(first) + "+" +
                                    std::to_string(count) + " are not a window a frame model can judge");
    const auto rows = static_cast<std::size_t>(frames.rows), window = static_cast<std::size_t>(window_frames_);
    input_.resize(rows * window);
    for (std::size_t c = 0; c < rows; ++c) {
        const float* row = frames.values.data() + c * static_cast<std::size_t>(frames.cols) + first;
        for (std::size_t t = 0; t < window; ++t) input_[c * window + t] = row[t % static_cast<std::size_t>(count)];
    }
    normalise_input(input_, frames.rows, window_frames_, false, norm_);
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
