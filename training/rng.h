#pragma once
// A small random generator whose streams are identical on every platform and standard
// library: std::uniform_*_distribution and std::shuffle are implementation-defined, so seeded
// splits and augmentations would differ between libstdc++ and libc++ (or Emscripten).

#include <cstdint>
#include <span>
#include <utility>

namespace ser {

// Mixes several values into one seed (splitmix64 finaliser), so per-epoch and per-item
// streams are independent of each other and of the order in which threads reach them.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

// xoshiro256** seeded through splitmix64.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    double uniform();                            // [0, 1)
    double uniform(double lo, double hi);        // [lo, hi)
    std::uint64_t below(std::uint64_t bound);    // [0, bound), unbiased; bound > 0
    double normal();                             // standard normal (Box-Muller)

    template <class T>
    void shuffle(std::span<T> values) {
        for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[below(i)]);
    }

private:
    std::uint64_t state_[4];
};

}  // namespace ser
