#pragma once
// A fixed-capacity history of the most recent samples of a stream. The live path keeps its
// analysis window and the waveform display in one of these, so it never allocates once
// constructed.

#include <cstddef>
#include <span>
#include <vector>

namespace ser {

class SampleRing {
public:
    explicit SampleRing(std::size_t capacity);

    void push(std::span<const float> samples);
    void clear();

    std::size_t capacity() const { return buffer_.size(); }
    // How many samples are held (at most capacity()).
    std::size_t size() const { return filled_; }

    // Copies the last out.size() samples, oldest first. out.size() must not exceed size().
    void copy_recent(std::span<float> out) const;

private:
    std::vector<float> buffer_;
    std::size_t next_ = 0;
    std::size_t filled_ = 0;
};

}  // namespace ser
