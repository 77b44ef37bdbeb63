#pragma once
// The latest frames of a live stream: a FeatureStream's frames kept in a ring of fixed
// capacity, so that a trailing window's features are at hand without recomputing the frames
// that earlier hops already computed. Each frame is bit for bit the column
// FeatureExtractor::compute gives for the same samples (feature_stream.h), so a window of
// frames read from here equals the window's own feature matrix when the window starts on a
// frame boundary of the stream. Each frame's level (frame_levels.h) can be kept beside it,
// computed once however many windows read it. No allocation once the first pieces are in.

#include <cstdint>
#include <span>
#include <vector>

#include "features/feature_matrix.h"
#include "features/feature_stream.h"

namespace ser {

class FrameRing {
public:
    // Throws std::invalid_argument for a config whose frames are not frame-local
    // (frame_local_violation) or a capacity below one frame. `levels`: keep each frame's level.
    FrameRing(const FeatureConfig& config, int capacity, bool levels = false);

    // Appends the frames the samples complete; returns how many. Throws
    // std::invalid_argument on a non-finite sample (nothing of the piece is kept).
    int push(std::span<const float> pcm);
    void reset();

    int capacity() const { return capacity_; }
    int size() const { return count_; }  // frames held (at most capacity())
    int channels() const { return stream_.channels(); }
    std::int64_t frames_done() const { return stream_.frames_done(); }

    // The last `count` frames, oldest first, as a [channels()][count] matrix.
    // count must be in [1, size()].
    void copy_recent(int count, FeatureMatrix& out) const;
    // Their levels, oldest first; empty when the ring keeps none.
    void copy_recent_levels(int count, std::vector<float>& out) const;

private:
    void check_recent(int count) const;

    FeatureStream stream_;
    int capacity_;
    bool keeps_levels_;
    int level_rows_;  // the rows a frame's level sums (frame_levels.h)
    int next_ = 0;   // slot of the next frame
    int count_ = 0;
    std::vector<float> scratch_;  // frames of one push, frame-major
    std::vector<float> slots_;    // capacity_ frames, frame-major
    std::vector<float> levels_;   // the level of each slot's frame, when kept
};

}  // namespace ser
