#pragma once
// Small helpers shared by the nn tests.

#include <algorithm>
#include <cmath>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.h"
#include "nn/rng.h"
#include "support/test_support.h"

namespace ser::test {

inline nlohmann::json read_json(const std::string& relative) {
    std::ifstream in(source_dir() / relative);
    if (!in) throw std::runtime_error("cannot open " + (source_dir() / relative).string());
    std::stringstream ss;
    ss << in.rdbuf();
    return nlohmann::json::parse(ss.str());
}

inline std::vector<float> random_values(std::size_t n, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    std::vector<float> v(n);
    nn::fill_uniform(v, seed, lo, hi);
    return v;
}

// max |a - b| / max |b|: the "relative" agreement the engine promises (1e-5).
inline double max_rel_diff(std::span<const float> a, std::span<const float> b) {
    double diff = 0.0, scale = 1e-30;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        diff = std::max(diff, static_cast<double>(std::abs(a[i] - b[i])));
        scale = std::max(scale, static_cast<double>(std::abs(b[i])));
    }
    return a.size() == b.size() ? diff / scale : 1e30;
}

// Gives every tensor of the network seeded random values (BatchNorm variances positive).
inline void randomise(nn::Network& net, std::uint64_t seed, float scale = 0.3f) {
    for (nn::Param* p : net.tensors()) {
        const bool positive = p->name == "running_var" || p->name == "gamma";
        const auto v = random_values(p->size(), seed++, positive ? 0.5f : -scale, positive ? 1.5f : scale);
        p->value = v;
    }
}

}  // namespace ser::test
