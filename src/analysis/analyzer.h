#pragma once
// The one way audio becomes results: push PCM at its own rate in pieces of any size, get each
// analysis window as it completes, and finish() a clip for its result. `ser predict`,
// `ser eval --model`, the browser's upload workers and its live page all run this, so the
// same audio gives the same numbers everywhere, and the numbers training measured.
//
// One slicer: the audio is resampled to the model's rate (the same streaming resampler as
// everywhere) and held from the next window's start on; window k ends at first_end + k hops
// and holds up to one window of audio before its end.
// - A clip (ClipSettings): windows start at 0, one hop, two hops, ... as training cuts them
//   from a clip's frames, and each is classified once the stream holds all of it. At
//   finish() come the last windows whose frames still fit, and a clip shorter than one
//   window is one window (looped to length by the predictor). The clip's probabilities are
//   its windows' mean weighted by their speech (model_input.h). Pooled models (one vector
//   for a clip, the 162-dim recipe) take the clip's probabilities from the whole clip instead,
//   so it is held up to whole_clip_limit_s; past that they are the mean of the windows', and
//   the result says so (`exact` false, `note`). A windowed model's clip is framed by its
//   analysis.edge_s of digital silence at each end (model.h), so windows also reach past the
//   clip's edges; the windows' times are clipped to the clip's own audio.
// - Live (LiveSettings): a window ends at every hop of the stream; until a window's length
//   of audio has arrived it is all the audio so far (from min_window_s on), so the first
//   result comes about a second after the start. Only windows with speech are classified,
//   and their probabilities smoothed; nothing is allocated per hop once running.
// Each window is judged by WindowClassifier: its voice activity once, its probabilities.
//
// One incremental-frames mechanism: with frame-local features (the `default` preset;
// frame_local_violation) and windows that start on frame boundaries, the stream's frames are
// computed once as the audio arrives and kept in a FrameRing of one window's frames; each
// window's frames are read from there, bit for bit those of its own samples (tested). Other
// models and settings compute each window's features from its samples.
//
// A long clip of a frame-local model can be split across workers: each runs an Analyzer on
// all of the clip's audio but classifies only its share of the windows, stretch by stretch
// in turn; merge_shares then reduces all the shares' windows once, in start order, to the
// result finish() gives for the whole clip, bit for bit (tested).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/smoother.h"
#include "analysis/voice_activity.h"
#include "analysis/window_classifier.h"
#include "audio/resampler.h"
#include "features/frame_ring.h"
#include "model/model.h"

namespace ser {

// Which windows a clip's Analyzer classifies: stretches of `stretch_windows` consecutive
// windows go to the shares in turn, so that shares keep pace with each other as audio arrives.
struct ClipShare {
    int index = 0;
    int count = 1;
    int stretch_windows = 120;  // 30 s at the default 0.25 s hop

    bool owns(std::int64_t window) const { return (window / stretch_windows) % count == index; }
};

struct ClipSettings {
    bool timeline = true;  // keep every window in the result (else only the clip's figures)
    // Pooled models hold a clip whole up to this; 0 or less: no limit (the CLI, which holds
    // the file anyway).
    double whole_clip_limit_s = 300.0;
    // The clip's length as its header gives it (0: unknown). A clip announced as longer than
    // the limit goes window by window from its start instead of filling memory first.
    double expected_s = 0.0;
    ClipShare share;  // a count above one only for models that splits()
};

struct LiveSettings {
    double window_s = 0.0;             // 0: the model's analysis window
    double hop_s = 0.0;                // 0: the model's analysis hop
    double smoothing_s = 1.0;          // time constant of the probability smoother
    double min_window_s = 1.0;         // shortest audio classified while the first window fills
    float activity_threshold_dbfs = -50.0f;
    // false: every hop computes its whole window's features (the benchmark's baseline).
    bool incremental_features = true;
};

// One window as push() hands it out; the spans are valid only during the call.
struct AnalysedWindow {
    double start_s = 0.0;                  // stream time of the window's first sample
    double end_s = 0.0;                    // and of its end
    double window_s = 0.0;                 // how much audio the window held
    VoiceActivity activity;                // judged for every window
    std::span<const float> probabilities;  // this window's (live: empty when not speech)
    std::span<const float> smoothed;       // live: over recent speech windows (empty before any)
    std::span<const float> audio;          // the window's samples at the model rate
    // This window's feature cost: its new frames' when they are computed incrementally (paid
    // whether or not it is classified), else the whole window's (0 when not classified).
    double feature_ms = 0.0;
    double inference_ms = 0.0;  // 0 when not classified
};

struct WindowResult {
    double start_s = 0.0;
    double end_s = 0.0;
    std::vector<float> probabilities;
    VoiceActivity activity;
};

struct ClipResult {
    std::vector<float> probabilities;
    int label = 0;                      // argmax of probabilities
    // Seconds of speech the result rests on: the clip's frames within the model's speech
    // range of its loudest (the whole clip for models without one). Below
    // little_speech_s the answer is a guess from little audio, and says so.
    double speech_s = 0.0;
    double duration_s = 0.0;            // of the clip analysed
    // Windows the voice-activity step heard speech in; -1 when no window was judged (a
    // pooled model's clip held whole without a timeline).
    int speech_windows = -1;
    std::vector<WindowResult> windows;  // empty unless ClipSettings::timeline
};

inline constexpr double little_speech_s = 1.0;
// A clip whose loudest sample stays below this holds no sound to classify: 16-bit audio's
// dither and a switched-off microphone are quieter, the quietest speech recording louder.
inline constexpr double silent_clip_dbfs = -80.0;

// A clip's windows before they are reduced to its result: all of them, or one share's.
struct ClipWindows {
    ClipShare share;
    std::int64_t total = 0;              // model-rate samples of the whole clip, with its edges
    std::vector<std::size_t> starts;     // of the windows, in samples, ascending
    std::vector<WindowResult> windows;
    std::vector<float> levels;           // frame loudness (WindowClassifier::note_levels)
};

struct StreamedClip {
    ClipResult result;
    double seconds = 0.0;       // audio analysed, at the model's rate
    bool exact = true;          // false: a pooled model's clip past the whole-clip limit
    std::string note;           // why not, when not
};

class Analyzer {
public:
    // input_rate: the audio's own rate. Throws std::invalid_argument for a rate the resampler
    // cannot take, a share the model cannot take or a live hop under one sample, ModelError
    // for a model this build cannot run.
    Analyzer(const Model& model, int input_rate, ClipSettings settings = {});
    Analyzer(const Model& model, int input_rate, LiveSettings settings);

    // Feeds audio at the input rate; calls on_window(const AnalysedWindow&) for every window
    // it completes. Throws std::invalid_argument on a sample that is not usable audio
    // (nothing of the block is kept), std::logic_error after finish().
    template <class OnWindow>
    void push(std::span<const float> pcm, OnWindow&& on_window) {
        take(pcm);
        while (const AnalysedWindow* w = next_window(false)) on_window(*w);
        feed_frames();
        drop_consumed();
    }
    void push(std::span<const float> pcm) {
        push(pcm, [](const AnalysedWindow&) {});
    }
    // A clip's analysis of everything pushed. Throws std::invalid_argument for an empty clip,
    // a silent one (no sample reaches silent_clip_dbfs: nothing in it to classify, where its
    // windows' relative speech measure would call all of it speech) or one too short for the
    // model (the message gives the minimum).
    StreamedClip finish();
    // The same for one share of a split clip: its windows, for merge_shares.
    ClipWindows finish_share();
    // A whole clip in one call: reset(), push(pcm), finish().
    StreamedClip analyse(std::span<const float> pcm);
    void reset();  // a new stream: forgets audio, windows, smoothing and stream time

    void set_smoothing(double seconds) { smoother_.set_time_constant(seconds); }
    void set_activity_threshold(float dbfs) { classifier_.set_activity_threshold(dbfs); }

    int model_rate() const { return classifier_.sample_rate(); }
    int input_rate() const { return resampler_.input_rate(); }
    double stream_seconds() const { return static_cast<double>(audio_) / model_rate(); }
    const std::vector<std::string>& labels() const { return classifier_.labels(); }
    // Whether windows are analysed as the audio arrives (not a pooled clip held whole).
    bool streaming() const { return !hold_whole_; }
    // Whether windows read their frames from the stream's (see above).
    bool incremental() const { return frames_.has_value(); }
    // Model-rate samples held (about a window while streaming; the whole clip otherwise).
    std::size_t buffered_samples() const { return buffer_.size(); }

private:
    Analyzer(const Model& model, int input_rate, bool live, ClipSettings clip, const LiveSettings& live_settings);

    void take(std::span<const float> pcm);
    void end_of_audio();
    const AnalysedWindow* next_window(bool at_end);
    std::int64_t window_start(std::int64_t k) const;
    std::int64_t window_end(std::int64_t k) const { return first_end_ + k * hop_; }
    bool window_ready(std::int64_t k, bool at_end) const;
    std::span<const float> audio(std::int64_t from, std::int64_t to) const;
    std::span<const float> classify(std::span<const float> window);
    void feed_frames();
    void drop_consumed();

    WindowClassifier classifier_;
    Resampler resampler_;
    ProbabilitySmoother smoother_;
    bool live_;
    ClipSettings clip_;
    bool splits_ = false;       // clip: whether the model's clips can be split into shares
    bool hold_whole_ = false;   // a pooled clip kept whole until finish()
    std::int64_t window_ = 0;   // samples of a window's audio
    std::int64_t hop_ = 0;
    std::int64_t fit_ = 0;      // clip: audio a window after the first needs to exist at all
    std::int64_t first_end_ = 0;  // end of window 0
    std::int64_t limit_ = 0;    // clip: the whole-clip limit in samples (0: none)
    std::int64_t edge_ = 0;     // clip: samples of silence before and after its audio

    std::vector<float> resampled_;  // scratch for each push
    std::vector<float> buffer_;     // model-rate audio from absolute sample base_ on
    std::int64_t base_ = 0;
    std::int64_t total_ = 0;        // model-rate samples so far, the edge's silence included
    std::int64_t audio_ = 0;        // of them the clip's own
    float peak_ = 0.0f;             // the largest magnitude among them (a silent clip is refused)
    std::int64_t next_ = 0;         // index of the next window
    bool finished_ = false;

    std::optional<FrameRing> frames_;  // the stream's frames, when windows read theirs from it
    std::int64_t fed_ = 0;             // samples the ring has been given (from the stream's start)
    FeatureMatrix window_frames_;
    std::vector<float> window_levels_;  // their levels, when the model keeps only speech frames
    double feature_ms_ = 0.0;          // spent on frames since the last window

    AnalysedWindow current_;
    ClipWindows clip_windows_;
};

// Whether a model's clips can be split into shares (its features are frame-local).
bool splits(const Model& model);

// The result of a clip analysed in shares (finish_share of every share of one clip's audio),
// equal to Analyzer::finish on the whole clip: windows in start order, reduced once.
// Throws std::invalid_argument when the shares are not all of one clip's, once each.
StreamedClip merge_shares(const Model& model, std::vector<ClipWindows> shares);

}  // namespace ser
