#pragma once
// Deterministic random numbers that do not depend on the platform's <random> distributions,
// so a seed gives the same weights and dropout masks natively and in WebAssembly.

#include <cstdint>

namespace ser::nn {

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// Uniform in [0, 1) from a counter: the value for (seed, a, b, c) never depends on the
// order in which threads ask for it.
inline float uniform01(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    const std::uint64_t h = mix64(mix64(mix64(seed ^ mix64(a)) ^ b) ^ c);
    return static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() { return mix64(state_++); }
    float uniform(float lo, float hi) {
        return lo + (hi - lo) * (static_cast<float>(next() >> 40) * (1.0f / 16777216.0f));
    }

private:
    std::uint64_t state_;
};

}  // namespace ser::nn
