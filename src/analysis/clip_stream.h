#pragma once
// An uploaded clip analysed as it is decoded, in pieces of any size at the file's own rate,
// so that a recording of any length is neither held whole nor analysed in one blocking call.
// The result is ClipAnalyzer::analyse (what `ser predict` runs) on the resampled clip:
//
// - frame-local models (features of a frame depend on its own samples only: what
//   FeatureStream accepts) are analysed window by window as the audio arrives, holding one
//   window of audio; each window's features equal the whole clip's frames at that place, so
//   the result is the same;
// - other models (pooled vectors, centred frames, a dB floor over the whole clip) need the
//   whole clip: it is kept (at the model's rate) up to `whole_clip_limit_s`. A longer clip is
//   analysed window by window from each window's own audio, and its probabilities are the
//   mean of its windows'; the result then says so in `note` and `exact` is false.
//
// A long clip of a frame-local model can be split across workers: each runs a ClipStream on
// all of the clip's audio (so every window sees exactly the samples it would in one stream)
// but classifies only its share of the windows, stretch by stretch in turn; merge_shares
// then reduces all the shares' windows once, in start order, to the result finish() gives
// for the whole clip, bit for bit (tested).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/clip_analysis.h"
#include "audio/resampler.h"
#include "model/model.h"

namespace ser {

// Which windows a stream classifies: stretches of `stretch_windows` consecutive windows go to
// the shares in turn, so that shares keep pace with each other as the audio arrives.
struct ClipShare {
    int index = 0;
    int count = 1;
    int stretch_windows = 120;  // 30 s at the default 0.25 s hop

    bool owns(std::int64_t window) const { return (window / stretch_windows) % count == index; }
};

struct ClipStreamOptions {
    double whole_clip_limit_s = 300.0;
    // The clip's length as its header gives it (0: unknown). A clip announced as longer than
    // the limit goes window by window from its start instead of filling memory first.
    double expected_s = 0.0;
};

// A clip's windows before they are reduced to its result: all of them, or one share's.
struct ClipWindows {
    ClipShare share;
    std::int64_t total = 0;              // model-rate samples of the whole clip
    std::vector<std::size_t> starts;     // of the windows, in samples, ascending
    std::vector<WindowResult> windows;
    std::vector<float> levels;           // frame loudness (ClipAnalyzer::note_levels)
};

struct StreamedClip {
    ClipResult result;          // with its timeline
    double seconds = 0.0;       // audio analysed, at the model's rate
    bool exact = true;          // equal to ClipAnalyzer::analyse of the whole clip
    std::string note;           // why not, when not
};

class ClipStream {
public:
    // input_rate: the file's own rate; share: which windows to classify (a count above one
    // only for models that splits()). Throws std::invalid_argument for a rate the resampler
    // cannot take or a share the model cannot take, ModelError for a model this build cannot run.
    ClipStream(const Model& model, int input_rate, ClipStreamOptions options = {}, ClipShare share = {});

    // Throws std::invalid_argument on a non-finite sample (nothing of the block is kept),
    // std::logic_error after finish().
    void push(std::span<const float> pcm);
    // The analysis of everything pushed. Throws std::invalid_argument for an empty clip or
    // one too short for the model (the message gives the minimum).
    StreamedClip finish();
    // The same for one share of a split clip: its windows, for merge_shares.
    ClipWindows finish_share();

    double seconds_received() const { return static_cast<double>(total_) / model_rate_; }
    // Whether this clip is being analysed window by window as it arrives.
    bool streaming() const { return mode_ != Mode::whole; }
    // Model-rate samples held (about a window while streaming; the whole clip otherwise).
    std::size_t buffered_samples() const { return buffer_.size(); }

private:
    enum class Mode { frames, whole, windows };

    void end_of_audio();

    void analyse_ready_windows(bool at_end);
    bool window_exists(std::int64_t start, bool at_end) const;
    void analyse_window(std::int64_t start);
    void drop_consumed();
    void switch_to_windows();

    ClipAnalyzer analyzer_;
    Resampler resampler_;
    ClipStreamOptions options_;
    ClipShare share_;
    Mode mode_;
    bool pooled_;
    int model_rate_;
    std::int64_t window_samples_;  // the model's analysis window (timeline and activity)
    std::int64_t hop_samples_;
    std::int64_t feature_span_;    // frame models: samples that hold one window of frames
    std::int64_t limit_samples_;

    std::vector<float> resampled_;  // scratch for each push
    std::vector<float> buffer_;     // model-rate audio from absolute sample base_ on
    std::int64_t base_ = 0;
    std::int64_t total_ = 0;        // model-rate samples so far
    std::int64_t next_start_ = 0;   // start of the next window to analyse
    bool finished_ = false;

    std::vector<WindowResult> windows_;
    std::vector<std::size_t> starts_;  // of windows_, in samples
    std::vector<float> levels_;        // of windows_' frames
};

// Whether a model's clips can be split into shares (its features are frame-local).
bool splits(const Model& model);

// The result of a clip analysed in shares (finish_share of every share of one clip's audio),
// equal to ClipStream::finish on the whole clip: windows in start order, reduced once.
// Throws std::invalid_argument when the shares are not all of one clip's, once each.
StreamedClip merge_shares(const Model& model, std::vector<ClipWindows> shares);

}  // namespace ser
