#include "nn/rng.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ser::nn {

namespace {

// splitmix64 as a generator: the state steps by its constant, the one finaliser mixes it.
std::uint64_t splitmix64(std::uint64_t& x) {
    const std::uint64_t value = mix64(x);
    x += 0x9e3779b97f4a7c15ULL;
    return value;
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
    std::uint64_t x = a ^ rotl(b, 32) ^ 0x6a09e667f3bcc909ULL;
    const std::uint64_t first = splitmix64(x);
    x ^= b;
    return first ^ splitmix64(x);
}

Rng::Rng(std::uint64_t seed) {
    for (auto& s : state_) s = splitmix64(seed);
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

std::uint64_t Rng::below(std::uint64_t bound) {
    if (bound == 0) throw std::invalid_argument("Rng::below needs a positive bound");
    // Rejection of the top partial block keeps every value equally likely.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return x % bound;
}

double Rng::normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace ser::nn
