#include "analysis/clip_stream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "features/feature_extractor.h"
#include "features/feature_stream.h"

namespace ser {

namespace {

// FeatureStream states the rule for features a window can compute on its own (and refuses
// any other config), so it decides whether a clip can be analysed as it arrives.
bool frames_are_local(const FeatureConfig& config) {
    try {
        FeatureStream probe(config);
        return true;
    } catch (const std::invalid_argument&) {
        return false;
    }
}

// The fewest samples whose feature matrix holds `frames` frames.
std::int64_t samples_for_frames(const FeatureConfig& config, int frames) {
    const FeatureExtractor extractor(config);
    std::int64_t low = 1;
    std::int64_t high = static_cast<std::int64_t>(frames + 1) * config.stft.hop_length + config.stft.n_fft;
    while (low < high) {
        const std::int64_t mid = low + (high - low) / 2;
        if (extractor.frames_for(static_cast<std::size_t>(mid)) >= frames) high = mid;
        else low = mid + 1;
    }
    return low;
}

std::int64_t samples_of(double seconds, int rate) { return std::llround(seconds * rate); }

}  // namespace

ClipStream::ClipStream(const Model& model, int input_rate, ClipStreamOptions options)
    : analyzer_(model),
      resampler_(input_rate, model.features.sample_rate),
      options_(options),
      pooled_(model.features.input.pooling != Pooling::none),
      model_rate_(model.features.sample_rate),
      classes_(model.labels.size()),
      window_samples_(samples_of(model.analysis.window_s, model.features.sample_rate)),
      hop_samples_(samples_of(model.analysis.hop_s, model.features.sample_rate)),
      feature_span_(pooled_ ? window_samples_ : samples_for_frames(model.features, model.network.input_shape().time)),
      limit_samples_(samples_of(options.whole_clip_limit_s, model.features.sample_rate)) {
    mode_ = !pooled_ && frames_are_local(model.features) ? Mode::frames : Mode::whole;
    if (mode_ == Mode::whole && options.expected_s > options.whole_clip_limit_s) mode_ = Mode::windows;
}

void ClipStream::push(std::span<const float> pcm) {
    if (finished_) throw std::logic_error("ClipStream::push after finish()");
    resampled_.clear();
    resampler_.push(pcm, resampled_);
    buffer_.insert(buffer_.end(), resampled_.begin(), resampled_.end());
    total_ += static_cast<std::int64_t>(resampled_.size());
    if (mode_ == Mode::whole && total_ > limit_samples_) switch_to_windows();
    if (mode_ != Mode::whole) analyse_ready_windows(false);
}

StreamedClip ClipStream::finish() {
    if (finished_) throw std::logic_error("ClipStream::finish called twice");
    finished_ = true;
    resampled_.clear();
    resampler_.finish(resampled_);
    buffer_.insert(buffer_.end(), resampled_.begin(), resampled_.end());
    total_ += static_cast<std::int64_t>(resampled_.size());
    if (total_ == 0) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    if (mode_ == Mode::whole && total_ > limit_samples_) switch_to_windows();

    StreamedClip out;
    out.seconds = seconds_received();
    if (mode_ == Mode::whole) {
        out.result = analyzer_.analyse(buffer_, true);
        return out;
    }
    analyse_ready_windows(true);
    out.result.windows = std::move(windows_);
    out.result.probabilities.assign(classes_, 0.0f);
    out.result.duration_s = static_cast<double>(total_) / analyzer_.sample_rate();
    out.result.speech_s = out.result.duration_s;
    std::vector<float> probabilities;
    for (const WindowResult& w : out.result.windows)
        probabilities.insert(probabilities.end(), w.probabilities.begin(), w.probabilities.end());
    if (pooled_) {
        for (std::size_t k = 0; k < out.result.windows.size(); ++k)
            for (std::size_t c = 0; c < classes_; ++c)
                out.result.probabilities[c] += probabilities[k * classes_ + c] / static_cast<float>(out.result.windows.size());
    } else {
        analyzer_.average_windows(starts_, probabilities, out.result);
    }
    out.result.label = static_cast<int>(std::max_element(out.result.probabilities.begin(), out.result.probabilities.end()) -
                                        out.result.probabilities.begin());
    if (mode_ == Mode::windows) {
        char text[400];
        std::snprintf(text, sizeof text,
                      "This model's features depend on the whole clip, which is longer than the %.0f minutes held "
                      "whole in the browser: %s, and its probabilities are the mean of its windows'. `ser predict` "
                      "on the file gives the exact figures.",
                      options_.whole_clip_limit_s / 60.0,
                      pooled_ ? "each window was analysed from its own audio (as `ser predict` does)"
                              : "each window was analysed from its own audio (`ser predict` takes its frames from the whole clip)");
        out.exact = false;
        out.note = text;
    }
    return out;
}

void ClipStream::switch_to_windows() {
    mode_ = Mode::windows;
    analyse_ready_windows(false);
}

bool ClipStream::window_exists(std::int64_t start, bool at_end) const {
    // What the window must hold to be classified, and to judge its voice activity.
    const std::int64_t classify_needs = pooled_ ? window_samples_ : feature_span_;
    if (!at_end) return total_ >= start + std::max(classify_needs, window_samples_);
    // At the end a window counts as ClipAnalyzer counts it: the first always, the others
    // when they fit; a last window may then be judged on less than a full window of audio.
    return start == 0 ? windows_.empty() : start + classify_needs <= total_;
}

void ClipStream::analyse_ready_windows(bool at_end) {
    while (window_exists(next_start_, at_end)) {
        analyse_window(next_start_);
        next_start_ += hop_samples_;
    }
    drop_consumed();
}

void ClipStream::analyse_window(std::int64_t start) {
    const float* audio = buffer_.data() + (start - base_);
    const std::int64_t available = total_ - start;
    const std::int64_t classify_length = std::min(available, pooled_ ? window_samples_ : feature_span_);
    const std::int64_t length = std::min(available, window_samples_);
    WindowResult window = analyzer_.analyse_window({audio, static_cast<std::size_t>(classify_length)},
                                                   {audio, static_cast<std::size_t>(length)}, static_cast<std::size_t>(start));
    if (!pooled_) analyzer_.note_levels(static_cast<std::size_t>(start));
    starts_.push_back(static_cast<std::size_t>(start));
    windows_.push_back(std::move(window));
}

void ClipStream::drop_consumed() {
    // Audio before the next window's start is done with; it is erased in large steps so
    // that each sample is moved a bounded number of times.
    const std::int64_t done = std::min(next_start_, total_) - base_;
    if (done > 0 && done >= static_cast<std::int64_t>(buffer_.size()) / 2) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(done));
        base_ += done;
    }
}

}  // namespace ser
