#include "analysis/analyzer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"
#include "features/feature_extractor.h"
#include "features/feature_stream.h"
#include "model/model_input.h"
#include "nn/layers.h"

namespace ser {

namespace {

std::int64_t samples_of(double seconds, int rate) { return std::llround(seconds * rate); }

double or_default(double value, double fallback) { return value > 0.0 ? value : fallback; }

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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

void check_share(const ClipShare& share) {
    if (share.count < 1 || share.index < 0 || share.index >= share.count || share.stretch_windows < 1)
        throw std::invalid_argument("clip share " + std::to_string(share.index) + " of " + std::to_string(share.count) +
                                    " (stretches of " + std::to_string(share.stretch_windows) +
                                    " windows) is not a share: give 0 <= index < count and a stretch of at least one window");
}

// The clip's probabilities: its windows' mean, each weighted by how much of the clip's
// speech it holds (model_input.h), so silence around the speech does not vote.
void average_windows(const WindowClassifier& classifier, std::span<const float> levels,
                     std::span<const std::size_t> starts, std::span<const float> probabilities, ClipResult& result) {
    const std::size_t classes = result.probabilities.size();
    const std::size_t hop_length = classifier.hop_length();
    std::vector<int> frame_starts;
    for (std::size_t start : starts) frame_starts.push_back(static_cast<int>(start / hop_length));
    const WindowWeights w =
        weigh_windows(levels, frame_starts, classifier.window_frames(), classifier.predictor().normalisation());
    if (!levels.empty()) result.speech_s = w.speech_frames * static_cast<double>(hop_length) / classifier.sample_rate();
    const double total = std::accumulate(w.weights.begin(), w.weights.end(), 0.0);
    for (std::size_t k = 0; k < starts.size(); ++k)
        for (std::size_t c = 0; c < classes; ++c)
            result.probabilities[c] += static_cast<float>(w.weights[k] / total) * probabilities[k * classes + c];
}

// A clip's result from its windows (all of them, in start order): the one reduction of
// finish() and merge_shares. A pooled model's windows vote equally.
StreamedClip reduce(const WindowClassifier& classifier, std::int64_t edge, ClipWindows all) {
    const std::size_t classes = classifier.labels().size();
    StreamedClip out;
    out.seconds = static_cast<double>(all.total - 2 * edge) / classifier.sample_rate();
    out.result.windows = std::move(all.windows);
    out.result.probabilities.assign(classes, 0.0f);
    out.result.duration_s = out.seconds;
    out.result.speech_s = out.result.duration_s;
    if (!out.result.windows.empty())
        out.result.speech_windows = static_cast<int>(std::count_if(out.result.windows.begin(), out.result.windows.end(),
                                                                   [](const WindowResult& w) { return w.activity.is_speech; }));
    std::vector<float> probabilities;
    for (const WindowResult& w : out.result.windows)
        probabilities.insert(probabilities.end(), w.probabilities.begin(), w.probabilities.end());
    if (classifier.pooled()) {
        for (std::size_t k = 0; k < out.result.windows.size(); ++k)
            for (std::size_t c = 0; c < classes; ++c)
                out.result.probabilities[c] += probabilities[k * classes + c] / static_cast<float>(out.result.windows.size());
    } else {
        average_windows(classifier, all.levels, all.starts, probabilities, out.result);
    }
    return out;
}

// Samples of silence framing each clip (model.h, analysis.edge_s); a pooled model has none.
std::int64_t clip_edge(const Model& model, const WindowClassifier& classifier) {
    return classifier.pooled() ? 0 : edge_samples(model.analysis.edge_s, model.features.sample_rate);
}

void set_label(ClipResult& result) {
    result.label = static_cast<int>(nn::argmax(result.probabilities));
}

}  // namespace

bool splits(const Model& model) {
    return model.features.input.pooling == Pooling::none && frame_local_violation(model.features).empty();
}

Analyzer::Analyzer(const Model& model, int input_rate, ClipSettings settings)
    : Analyzer(model, input_rate, false, settings, LiveSettings{}) {}

Analyzer::Analyzer(const Model& model, int input_rate, LiveSettings settings)
    : Analyzer(model, input_rate, true, ClipSettings{}, settings) {}

Analyzer::Analyzer(const Model& model, int input_rate, bool live, ClipSettings clip, const LiveSettings& l)
    : classifier_(model),
      resampler_(input_rate, model.features.sample_rate),
      smoother_(static_cast<int>(model.labels.size()), live ? or_default(l.hop_s, model.analysis.hop_s) : model.analysis.hop_s,
                live ? l.smoothing_s : 0.0),
      live_(live),
      clip_(clip) {
    const int rate = model.features.sample_rate;
    window_ = samples_of(live ? or_default(l.window_s, model.analysis.window_s) : model.analysis.window_s, rate);
    hop_ = samples_of(live ? or_default(l.hop_s, model.analysis.hop_s) : model.analysis.hop_s, rate);
    if (hop_ < 1) throw std::invalid_argument("live analysis: the hop must be at least one sample");
    const Predictor& predictor = classifier_.predictor();
    if (live) {
        // The first window ends on the first hop that holds min_window_s (at most a window).
        const std::int64_t min_window = std::min(window_, samples_of(l.min_window_s, rate));
        first_end_ = hop_ * std::max<std::int64_t>(1, (min_window + hop_ - 1) / hop_);
        classifier_.set_activity_threshold(l.activity_threshold_dbfs);
        // Blocks of up to a second: the held audio then stays under two windows and a block
        // (drop_consumed), so no push allocates once running.
        resampled_.reserve(static_cast<std::size_t>(resampler_.output_length(input_rate)) + 64);
        buffer_.reserve(static_cast<std::size_t>(2 * window_) + resampled_.capacity());
    } else {
        check_share(clip.share);
        splits_ = splits(model);
        if (clip.share.count > 1 && !splits_)
            throw std::invalid_argument("this model's clips cannot be split into shares (its features are not "
                                        "frame-local): analyse the clip in one piece");
        fit_ = classifier_.pooled() ? window_ : samples_for_frames(model.features, classifier_.window_frames());
        first_end_ = std::max(window_, fit_);
        limit_ = clip.whole_clip_limit_s > 0.0 ? std::max<std::int64_t>(1, samples_of(clip.whole_clip_limit_s, rate)) : 0;
        edge_ = clip_edge(model, classifier_);
    }
    // A window's frames are the stream's only when every window starts on a frame boundary:
    // clips' windows start on hops, live ones a window before a hop (or at the start).
    const auto frame = static_cast<std::int64_t>(classifier_.hop_length());
    const int capacity = static_cast<int>(predictor.frames_for(static_cast<std::size_t>(window_)));
    if ((!live || l.incremental_features) && predictor.frame_local() && capacity >= 1 && hop_ % frame == 0 &&
        (!live || window_ % frame == 0))
        frames_.emplace(model.features, capacity, model.normalisation.speech_range_db > 0.0);
    reset();
}

void Analyzer::reset() {
    resampler_.reset();
    smoother_.reset();
    hold_whole_ = !live_ && classifier_.pooled() && !(limit_ > 0 && clip_.expected_s > clip_.whole_clip_limit_s);
    buffer_.assign(static_cast<std::size_t>(edge_), 0.0f);  // the silence before a clip
    base_ = audio_ = next_ = fed_ = 0;
    total_ = edge_;
    peak_ = 0.0f;
    finished_ = false;
    if (frames_) frames_->reset();
    feature_ms_ = 0.0;
    clip_windows_ = {clip_.share, 0, {}, {}, {}};
}

void Analyzer::take(std::span<const float> pcm) {
    if (finished_) throw std::logic_error("Analyzer::push after finish(): reset() starts a new clip");
    resampled_.clear();
    resampler_.push(pcm, resampled_);
    buffer_.insert(buffer_.end(), resampled_.begin(), resampled_.end());
    total_ += static_cast<std::int64_t>(resampled_.size());
    audio_ += static_cast<std::int64_t>(resampled_.size());
    for (float x : resampled_) peak_ = std::max(peak_, std::abs(x));
    if (hold_whole_ && limit_ > 0 && total_ > limit_) hold_whole_ = false;
}

void Analyzer::end_of_audio() {
    if (live_) throw std::logic_error("a live stream is not finished: reset() starts a new one");
    if (finished_) throw std::logic_error("Analyzer::finish called twice");
    finished_ = true;
    resampled_.clear();
    resampler_.finish(resampled_);
    buffer_.insert(buffer_.end(), resampled_.begin(), resampled_.end());
    total_ += static_cast<std::int64_t>(resampled_.size());
    audio_ += static_cast<std::int64_t>(resampled_.size());
    for (float x : resampled_) peak_ = std::max(peak_, std::abs(x));
    if (audio_ == 0) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    if (!(20.0 * std::log10(static_cast<double>(peak_)) >= silent_clip_dbfs)) {
        char text[200];
        if (peak_ == 0.0f)
            std::snprintf(text, sizeof text, "the clip is silent: every sample is zero, so there is no voice to classify");
        else
            std::snprintf(text, sizeof text, "the clip is silent: its loudest sample is at %.0f dBFS (nothing reaches %.0f dBFS), so there is no voice to classify",
                          20.0 * std::log10(static_cast<double>(peak_)), silent_clip_dbfs);
        throw std::invalid_argument(text);
    }
    if (hold_whole_ && limit_ > 0 && total_ > limit_) hold_whole_ = false;
    buffer_.resize(buffer_.size() + static_cast<std::size_t>(edge_), 0.0f);  // and the silence after it
    total_ += edge_;
}

std::int64_t Analyzer::window_start(std::int64_t k) const {
    return live_ ? std::max<std::int64_t>(0, window_end(k) - window_) : k * hop_;
}

bool Analyzer::window_ready(std::int64_t k, bool at_end) const {
    if (!at_end) return !hold_whole_ && total_ >= window_end(k);
    // At the end a clip's window counts as training counts it: the first always, the others
    // when their frames fit; a last window may then hold less than a window of audio.
    return k == 0 || window_start(k) + fit_ <= total_;
}

std::span<const float> Analyzer::audio(std::int64_t from, std::int64_t to) const {
    return {buffer_.data() + (from - base_), static_cast<std::size_t>(to - from)};
}

const AnalysedWindow* Analyzer::next_window(bool at_end) {
    for (; window_ready(next_, at_end); ++next_) {
        if (!live_ && !clip_.share.owns(next_)) continue;
        const std::int64_t start = window_start(next_);
        const std::int64_t stop = std::min({start + window_, window_end(next_), total_});
        const std::span<const float> window = audio(start, stop);
        if (frames_) feed_frames();  // up to this window's end: paid whether or not it is classified
        const int rate = model_rate();
        current_ = {};
        // Clipped to the clip's own audio: a window past an edge holds silence beyond it.
        current_.start_s = static_cast<double>(std::max(start, edge_) - edge_) / rate;
        current_.end_s = static_cast<double>(std::min(stop, edge_ + audio_) - edge_) / rate;
        current_.window_s = static_cast<double>(stop - start) / rate;
        current_.audio = window;
        current_.feature_ms = feature_ms_;
        // Judged on the clip's own audio: the edges' silence beside a steady tone is no speech.
        current_.activity = classifier_.activity(audio(std::max(start, edge_), std::min(stop, edge_ + audio_)));
        if (!live_ || current_.activity.is_speech) {
            current_.probabilities = classify(window);
            current_.inference_ms = classifier_.predictor().last_inference_ms();
        }
        feature_ms_ = 0.0;
        if (live_) {
            if (current_.activity.is_speech) {
                current_.smoothed = smoother_.push(current_.probabilities);
            } else {
                smoother_.skip();
                if (smoother_.has_value()) current_.smoothed = smoother_.current();
            }
        } else {
            if (!classifier_.pooled()) classifier_.note_levels(static_cast<std::size_t>(start), clip_windows_.levels);
            clip_windows_.starts.push_back(static_cast<std::size_t>(start));
            clip_windows_.windows.push_back({current_.start_s, current_.end_s,
                                             {current_.probabilities.begin(), current_.probabilities.end()},
                                             current_.activity});
        }
        ++next_;
        return &current_;
    }
    return nullptr;
}

std::span<const float> Analyzer::classify(std::span<const float> window) {
    const Predictor& predictor = classifier_.predictor();
    const int count = frames_ ? static_cast<int>(predictor.frames_for(window.size())) : 0;
    if (count < 1) {  // no frames kept, or shorter than a frame: the window's own (or its refusal)
        const auto p = classifier_.classify(window);
        current_.feature_ms = predictor.last_feature_ms();
        return p;
    }
    const auto start = std::chrono::steady_clock::now();
    frames_->copy_recent(count, window_frames_);
    frames_->copy_recent_levels(count, window_levels_);
    current_.feature_ms += ms_since(start);
    return classifier_.classify_frames(window_frames_, window_levels_);
}

// The ring takes the audio up to the end of the next window it serves, never past it, so
// that the window's frames are the ring's latest when it is classified.
void Analyzer::feed_frames() {
    if (!frames_) return;
    std::int64_t k = next_;
    while (!live_ && !clip_.share.owns(k)) ++k;
    const std::int64_t start = window_start(k);
    if (fed_ < start) {  // the windows before it are another share's: its frames start afresh
        frames_->reset();
        fed_ = start;
    }
    const std::int64_t to = std::min({start + window_, window_end(k), total_});
    if (to <= fed_) return;
    const auto began = std::chrono::steady_clock::now();
    frames_->push(audio(fed_, to));
    feature_ms_ += ms_since(began);
    fed_ = to;
}

void Analyzer::drop_consumed() {
    if (hold_whole_) return;
    // Audio before the next window (and before what the ring still needs) is done with; it is
    // erased in large steps so that each sample is moved a bounded number of times.
    std::int64_t keep = std::min(window_start(next_), total_);
    if (frames_) keep = std::min(keep, fed_);
    const std::int64_t done = keep - base_;
    if (done > 0 && done >= static_cast<std::int64_t>(buffer_.size()) / 2) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(done));
        base_ += done;
    }
}

StreamedClip Analyzer::finish() {
    if (clip_.share.count > 1) throw std::logic_error("a share of a split clip ends with finish_share()");
    end_of_audio();
    const bool whole = hold_whole_;
    if (!whole || clip_.timeline)
        while (next_window(true)) {
        }
    clip_windows_.total = total_;
    StreamedClip out = reduce(classifier_, edge_, std::move(clip_windows_));
    if (whole) {
        const auto p = classifier_.classify(buffer_);
        std::copy(p.begin(), p.end(), out.result.probabilities.begin());
    } else if (classifier_.pooled()) {
        char text[400];
        std::snprintf(text, sizeof text,
                      "This model's features depend on the whole clip, which is longer than the %.0f minutes held "
                      "whole in the browser: each window was analysed from its own audio (as `ser predict` does), "
                      "and its probabilities are the mean of its windows'. `ser predict` on the file gives the exact "
                      "figures.",
                      clip_.whole_clip_limit_s / 60.0);
        out.exact = false;
        out.note = text;
    }
    set_label(out.result);
    if (!clip_.timeline) out.result.windows.clear();
    return out;
}

ClipWindows Analyzer::finish_share() {
    if (live_ || !splits_) throw std::logic_error("only clips of frame-local models are analysed in shares");
    end_of_audio();
    while (next_window(true)) {
    }
    clip_windows_.total = total_;
    return std::move(clip_windows_);
}

StreamedClip Analyzer::analyse(std::span<const float> pcm) {
    reset();
    if (pcm.empty()) throw std::invalid_argument("the clip is empty: there is no audio to classify");
    require_usable_pcm(pcm, "the clip");
    push(pcm);
    return finish();
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
    const WindowClassifier classifier(model);
    ClipWindows all{ClipShare{}, shares.front().total, {}, {}, {}};
    for (const Place& p : order) {
        if (!all.starts.empty() && all.starts.back() == p.start)
            throw std::invalid_argument("merge_shares: two shares hold the window at sample " + std::to_string(p.start));
        if (shares[p.share].windows[p.window].probabilities.size() != model.labels.size())
            throw std::invalid_argument("merge_shares: the shares were analysed with another model; analyse the clip again");
        all.starts.push_back(p.start);
        all.windows.push_back(std::move(shares[p.share].windows[p.window]));
        classifier.carry_levels(p.start, shares[p.share].levels, all.levels);
    }
    StreamedClip out = reduce(classifier, clip_edge(model, classifier), std::move(all));
    set_label(out.result);
    return out;
}

}  // namespace ser
