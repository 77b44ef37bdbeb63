#pragma once
// Deterministic random numbers that do not depend on the platform's <random>: its
// distributions and std::shuffle are implementation-defined, so a seed would give other
// weights, dropout masks, splits and augmentations with libc++ or in WebAssembly than with
// libstdc++. Two kinds: counter values (a hash of seed and index, for values drawn in any
// order or from any thread) and Rng (a sequential generator, for draws that depend on
// earlier ones: shuffles, rejection, augmentation).

#include <cstdint>
#include <span>
#include <utility>

namespace ser::nn {

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// The top 24 bits of a hash as a float in [0, 1): every value exactly representable.
inline float unit_float(std::uint64_t h) { return static_cast<float>(h >> 40) * (1.0f / 16777216.0f); }

// Uniform in [0, 1) from a counter: the value for (seed, a, b, c) never depends on the
// order in which threads ask for it.
inline float uniform01(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    return unit_float(mix64(mix64(mix64(seed ^ mix64(a)) ^ b) ^ c));
}

// Uniform in [lo, hi): value `i` of the counter stream `seed` (weight init, the selftest's
// input, test signals). Recorded numbers (the shipped models' selftests) depend on it.
inline float counter_uniform(std::uint64_t seed, std::uint64_t i, float lo, float hi) {
    return lo + (hi - lo) * unit_float(mix64(seed + i));
}

// Fills `values` with values 0, 1, ... of the counter stream `seed`.
inline void fill_uniform(std::span<float> values, std::uint64_t seed, float lo, float hi) {
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = counter_uniform(seed, i, lo, hi);
}

// Mixes two values into one seed (splitmix64 steps), so per-epoch and per-item streams are
// independent of each other and of the order in which threads reach them.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

// xoshiro256** seeded through splitmix64.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    double uniform();                          // [0, 1)
    double uniform(double lo, double hi);      // [lo, hi)
    std::uint64_t below(std::uint64_t bound);  // [0, bound), unbiased; bound > 0
    double normal();                           // standard normal (Box-Muller)

    template <class T>
    void shuffle(std::span<T> values) {
        for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[below(i)]);
    }

private:
    std::uint64_t state_[4];
};

}  // namespace ser::nn
