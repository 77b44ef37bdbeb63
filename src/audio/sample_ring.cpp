#include "audio/sample_ring.h"

#include <algorithm>
#include <stdexcept>

namespace ser {

SampleRing::SampleRing(std::size_t capacity) : buffer_(capacity) {
    if (capacity == 0) throw std::invalid_argument("SampleRing needs a capacity above zero");
}

void SampleRing::push(std::span<const float> samples) {
    const std::size_t cap = buffer_.size();
    if (samples.size() >= cap) samples = samples.last(cap);
    const std::size_t first = std::min(samples.size(), cap - next_);
    std::copy_n(samples.begin(), first, buffer_.begin() + static_cast<std::ptrdiff_t>(next_));
    std::copy(samples.begin() + static_cast<std::ptrdiff_t>(first), samples.end(), buffer_.begin());
    next_ = (next_ + samples.size()) % cap;
    filled_ = std::min(cap, filled_ + samples.size());
}

void SampleRing::clear() {
    next_ = 0;
    filled_ = 0;
}

void SampleRing::copy_recent(std::span<float> out) const {
    if (out.size() > filled_) throw std::out_of_range("SampleRing::copy_recent asks for more samples than are held");
    const std::size_t cap = buffer_.size();
    const std::size_t start = (next_ + cap - out.size()) % cap;
    const std::size_t first = std::min(out.size(), cap - start);
    std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(start), first, out.begin());
    std::copy_n(buffer_.begin(), out.size() - first, out.begin() + static_cast<std::ptrdiff_t>(first));
}

}  // namespace ser
