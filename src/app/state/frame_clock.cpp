#include "app/state/frame_clock.h"

#include <algorithm>

namespace ser::app {

void FrameClock::tick(double now_ms) {
    times_[frames_ % kept] = now_ms;
    ++frames_;
}

template <class Visit>
void FrameClock::each_interval_in_last_second(Visit&& visit) const {
    if (frames_ < 2) return;
    const double last = times_[(frames_ - 1) % kept];
    const std::uint64_t oldest = frames_ > kept ? frames_ - kept : 0;
    for (std::uint64_t i = frames_ - 1; i > oldest; --i) {
        const double later = times_[i % kept];
        const double earlier = times_[(i - 1) % kept];
        if (last - earlier > 1000.0) break;
        visit(later - earlier);
    }
}

double FrameClock::fps() const {
    std::size_t intervals = 0;
    double span = 0.0;
    each_interval_in_last_second([&](double ms) {
        ++intervals;
        span += ms;
    });
    return span > 0.0 ? 1000.0 * static_cast<double>(intervals) / span : 0.0;
}

double FrameClock::longest_frame_ms() const {
    double longest = 0.0;
    each_interval_in_last_second([&](double ms) { longest = std::max(longest, ms); });
    return longest;
}

}  // namespace ser::app
