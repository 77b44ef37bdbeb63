#pragma once
// Frames of a live stream as they complete. Push PCM in pieces of any size (the browser's
// 128-sample quanta, or blocks of resampled microphone audio); every frame that the samples
// so far fully cover comes out as channels() values: the config's input features stacked,
// exactly (bit for bit) the column FeatureExtractor::compute gives for the same samples.
//
// That equality needs frames that depend on their own samples only, so the config must not
// centre frames, must take any dB floor per frame, must pin the chroma tuning, and its
// input must be neither pooled nor hold deltas (deltas and pooling belong to a window:
// run FeatureExtractor::compute on the window's samples). The constructor says which rule
// a config breaks.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "features/feature_extractor.h"

namespace ser {

// Why a config's frames do not depend only on their own samples (the rules above), or an
// empty string when they do: then any stretch of audio computes the same frames, bit for bit.
std::string frame_local_violation(const FeatureConfig& config);

class FeatureStream {
public:
    explicit FeatureStream(const FeatureConfig& config);

    // Appends channels() floats per completed frame to `frames`; returns how many frames.
    // Throws std::invalid_argument on a non-finite sample (the stream is unchanged then).
    int push(std::span<const float> pcm, std::vector<float>& frames);
    void reset();

    int channels() const { return extractor_.channels(); }
    std::int64_t frames_done() const { return frames_done_; }
    const FeatureConfig& config() const { return extractor_.config(); }

private:
    FeatureExtractor extractor_;
    std::vector<float> pending_;  // samples from the next frame's start on
    std::size_t skip_ = 0;        // input still to drop before the next frame starts
    FeatureMatrix block_;  // the frames of one push, [channels][frames]
    std::int64_t frames_done_ = 0;
};

}  // namespace ser
