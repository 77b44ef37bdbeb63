#include "analysis/clip_stream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

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

// A clip's result from its windows (all of them, in start order): the one reduction of
// finish() and merge_shares.
StreamedClip reduce(const ClipAnalyzer& analyzer, ClipWindows all, bool pooled) {
    const std::size_t classes = analyzer.labels().size();
    StreamedClip out;
    out.seconds = static_cast<double>(all.total) / analyzer.sample_rate();
    out.result.windows = std::move(all.windows);
    out.result.probabilities.assign(classes, 0.0f);
    out.result.duration_s = static_cast<double>(all.total) / analyzer.sample_rate();
    out.result.speech_s = out.result.duration_s;
    std::vector<float> probabilities;
    for (const WindowResult& w : out.result.windows)
        probabilities.insert(probabilities.end(), w.probabilities.begin(), w.probabilities.end());
    if (pooled) {
        for (std::size_t k = 0; k < out.result.windows.size(); ++k)
            for (std::size_t c = 0; c < classes; ++c)
                out.result.probabilities[c] += probabilities[k * classes + c] / static_cast<float>(out.result.windows.size());
    } else {
        analyzer.average_windows(all.levels, all.starts, probabilities, out.result);
    }
    out.result.label = static_cast<int>(std::max_element(out.result.probabilities.begin(), out.result.probabilities.end()) -
                                        out.result.probabilities.begin());
    return out;
}

void check_share(const ClipShare& share) {
    if (share.count < 1 || share.index < 0 || share.index >= share.count || share.stretch_windows < 1)
        throw std::invalid_argument("clip share " + std::to_string(share.index) + " of " + std::to_string(share.count) +
                                    " (stretches of " + std::to_string(share.stretch_windows) +
                                    " windows) is not a share: give 0 <= index < count and a stretch of at least one window");
}

}  // namespace

bool splits(const Model& model) {
    return model.features.input.pooling == Pooling::none && frames_are_local(model.features);
}

ClipStream::ClipStream(const Model& model, int input_rate, ClipStreamOptions options, ClipShare share)
    : analyzer_(model),
      resampler_(input_rate, model.features.sample_rate),
      options_(options),
      share_(share),
      pooled_(model.features.input.pooling != Pooling::none),
      model_rate_(model.features.sample_rate),
      window_samples_(samples_of(model.analysis.window_s, model.features.sample_rate)),
      hop_samples_(samples_of(model.analysis.hop_s, model.features.sample_rate)),
      feature_span_(pooled_ ? window_samples_ : samples_for_frames(model.features, model.network.input_shape().time)),
      limit_samples_(samples_of(options.whole_clip_limit_s, model.features.sample_rate)) {
    mode_ = splits(model) ? Mode::frames : Mode::whole;
    if (mode_ == Mode::whole && options.expected_s > options.whole_clip_limit_s) mode_ = Mode::windows;
    check_share(share);
    if (share.count > 1 && mode_ != Mode::frames)
        throw std::invalid_argument("this model's clips cannot be split into shares (its features are not frame-local): "
                                    "analyse the clip in one piece");
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

void ClipStream::end_of_audio() {
    if (finished_) throw std::logic_error("ClipStream::finish called twice");
    finished_ = true;
    resampled_.clear();
    resampler_.finish(resampled_);
    buffer_.insert(buffer_.end(), resampled_.begin(), resampled_.end());
    total_ += static_cast<std::int64_t>(resampled_.size());
    if (total_ == 0) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    if (mode_ == Mode::whole && total_ > limit_samples_) switch_to_windows();
}

StreamedClip ClipStream::finish() {
    if (share_.count > 1) throw std::logic_error("a share of a split clip ends with finish_share()");
    end_of_audio();
    if (mode_ == Mode::whole) {
        StreamedClip out;
        out.seconds = seconds_received();
        out.result = analyzer_.analyse(buffer_, true);
        return out;
    }
    analyse_ready_windows(true);
    StreamedClip out = reduce(analyzer_, {share_, total_, std::move(starts_), std::move(windows_), std::move(levels_)},
                              pooled_);
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

ClipWindows ClipStream::finish_share() {
    if (mode_ != Mode::frames) throw std::logic_error("only clips of frame-local models are analysed in shares");
    end_of_audio();
    analyse_ready_windows(true);
    return {share_, total_, std::move(starts_), std::move(windows_), std::move(levels_)};
}

StreamedClip merge_shares(const Model& model, std::vector<ClipWindows> shares) {
    if (shares.empty()) throw std::invalid_argument("merge_shares: no shares to merge");
    const ClipShare plan = shares.front().share;
    std::vector<bool> seen(static_cast<std::size_t>(std::max(plan.count, 0)), false);
    struct Place {
        std::size_t start, share, window;
    };
    std::vector<Place> order;
    for (std::size_t s = 0; s < shares.size(); ++s) {
        const ClipWindows& part = shares[s];
        check_share(part.share);
        if (part.share.count != plan.count || part.share.stretch_windows != plan.stretch_windows ||
            part.total != shares.front().total || seen[static_cast<std::size_t>(part.share.index)] ||
            part.starts.size() != part.windows.size())
            throw std::invalid_argument("merge_shares: the shares are not of one clip, each once (share " +
                                        std::to_string(part.share.index) + " of " + std::to_string(part.share.count) + ")");
        seen[static_cast<std::size_t>(part.share.index)] = true;
        for (std::size_t w = 0; w < part.starts.size(); ++w) order.push_back({part.starts[w], s, w});
    }
    if (shares.size() != seen.size())
        throw std::invalid_argument("merge_shares: " + std::to_string(shares.size()) + " of the clip's " +
                                    std::to_string(seen.size()) + " shares arrived");
    if (!splits(model)) throw std::invalid_argument("merge_shares: this model's clips are not analysed in shares");
    std::sort(order.begin(), order.end(), [](const Place& a, const Place& b) { return a.start < b.start; });
    const ClipAnalyzer analyzer(model);
    ClipWindows all{ClipShare{}, shares.front().total, {}, {}, {}};
    for (const Place& p : order) {
        if (!all.starts.empty() && all.starts.back() == p.start)
            throw std::invalid_argument("merge_shares: two shares hold the window at sample " + std::to_string(p.start));
        if (shares[p.share].windows[p.window].probabilities.size() != model.labels.size())
            throw std::invalid_argument("merge_shares: the shares were analysed with another model; analyse the clip again");
        all.starts.push_back(p.start);
        all.windows.push_back(std::move(shares[p.share].windows[p.window]));
        analyzer.carry_levels(p.start, shares[p.share].levels, all.levels);
    }
    return reduce(analyzer, std::move(all), false);
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
        if (share_.owns(next_start_ / hop_samples_)) analyse_window(next_start_);
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
    if (!pooled_) analyzer_.note_levels(static_cast<std::size_t>(start), levels_);
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
