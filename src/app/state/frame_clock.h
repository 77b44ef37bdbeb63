#pragma once
// Frames per second as the page actually draws them: the times of the recent frames, so the
// performance panel (and the e2e tests) read the rate over the last second and the longest
// gap between two frames in it.

#include <array>
#include <cstddef>
#include <cstdint>

namespace ser::app {

class FrameClock {
public:
    static constexpr std::size_t kept = 512;

    // now_ms: the page clock (performance.now) at the start of a frame.
    void tick(double now_ms);

    std::uint64_t frames() const { return frames_; }
    // Frames drawn in the second before the last tick (fewer in the first second).
    double fps() const;
    // The longest interval between consecutive frames in that second.
    double longest_frame_ms() const;

private:
    template <class Visit>
    void each_interval_in_last_second(Visit&& visit) const;

    std::array<double, kept> times_{};
    std::uint64_t frames_ = 0;
};

}  // namespace ser::app
