#include <doctest/doctest.h>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "audio/sample_ring.h"

TEST_SUITE("audio") {

TEST_CASE("SampleRing keeps the most recent samples in order across wrap-arounds") {
    ser::SampleRing ring(5);
    std::vector<float> stream(23);
    std::iota(stream.begin(), stream.end(), 0.0f);
    // Pieces of uneven sizes, one longer than the capacity.
    const std::size_t pieces[] = {1, 3, 7, 2, 4, 6};
    std::size_t pos = 0;
    for (std::size_t n : pieces) {
        ring.push(std::span<const float>(stream).subspan(pos, n));
        pos += n;
        const std::size_t held = std::min<std::size_t>(pos, 5);
        CHECK(ring.size() == held);
        std::vector<float> recent(held);
        ring.copy_recent(recent);
        for (std::size_t i = 0; i < held; ++i) CHECK(recent[i] == stream[pos - held + i]);
    }
}

TEST_CASE("SampleRing refuses to hand out more than it holds") {
    ser::SampleRing ring(4);
    const float two[] = {1.0f, 2.0f};
    ring.push(two);
    std::vector<float> three(3);
    CHECK_THROWS_AS(ring.copy_recent(three), std::out_of_range);
    CHECK_THROWS_AS(ser::SampleRing{0}, std::invalid_argument);
}

}
