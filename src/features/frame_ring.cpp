#include "features/frame_ring.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "features/frame_levels.h"

namespace ser {

FrameRing::FrameRing(const FeatureConfig& config, int capacity, bool levels)
    : stream_(config), capacity_(capacity), keeps_levels_(levels), level_rows_(level_rows(config)) {
    if (level_rows_ == 0) level_rows_ = channels();
    if (capacity < 1) throw std::invalid_argument("FrameRing needs room for at least one frame, not " + std::to_string(capacity));
    slots_.resize(static_cast<std::size_t>(capacity) * static_cast<std::size_t>(channels()));
    if (keeps_levels_) levels_.resize(static_cast<std::size_t>(capacity));
}

void FrameRing::reset() {
    stream_.reset();
    next_ = 0;
    count_ = 0;
}

int FrameRing::push(std::span<const float> pcm) {
    scratch_.clear();
    const int added = stream_.push(pcm, scratch_);
    const auto width = static_cast<std::size_t>(channels());
    // Only the last capacity_ of a large piece's frames survive; the others are skipped.
    const int first = std::max(0, added - capacity_);
    if (first > 0) next_ = (next_ + first) % capacity_;
    for (int f = first; f < added; ++f) {
        std::copy_n(scratch_.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(f) * width), width,
                    slots_.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(next_) * width));
        if (keeps_levels_)
            levels_[static_cast<std::size_t>(next_)] = frame_level(slots_.data() + static_cast<std::size_t>(next_) * width, 1, level_rows_);
        next_ = (next_ + 1) % capacity_;
    }
    count_ = std::min(capacity_, count_ + added);
    return added;
}

void FrameRing::check_recent(int count) const {
    if (count < 1 || count > count_)
        throw std::invalid_argument("FrameRing::copy_recent: asked for " + std::to_string(count) + " frames, " +
                                    std::to_string(count_) + " held");
}

void FrameRing::copy_recent(int count, FeatureMatrix& out) const {
    check_recent(count);
    const auto rows = static_cast<std::size_t>(channels()), cols = static_cast<std::size_t>(count);
    out.rows = channels();
    out.cols = count;
    out.values.resize(rows * cols);
    int slot = (next_ - count + capacity_) % capacity_;
    for (std::size_t t = 0; t < cols; ++t) {
        const float* frame = slots_.data() + static_cast<std::size_t>(slot) * rows;
        for (std::size_t c = 0; c < rows; ++c) out.values[c * cols + t] = frame[c];
        slot = (slot + 1) % capacity_;
    }
}

void FrameRing::copy_recent_levels(int count, std::vector<float>& out) const {
    check_recent(count);
    out.clear();
    if (!keeps_levels_) return;
    const int first = (next_ - count + capacity_) % capacity_;
    const int head = std::min(count, capacity_ - first);  // before the ring wraps
    out.insert(out.end(), levels_.begin() + first, levels_.begin() + first + head);
    out.insert(out.end(), levels_.begin(), levels_.begin() + (count - head));
}

}  // namespace ser
