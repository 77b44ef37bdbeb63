#pragma once
// Speech-like audio for the analysis tests: syllable-rate bursts of a gliding tone over faint
// noise, with a quiet stretch (35 % to 75 % of the way), so that windows differ, some hold
// no speech, and weighting windows by their speech matters.

#include <cmath>
#include <cstdint>
#include <vector>

#include "nn/rng.h"

namespace ser::test {

inline std::vector<float> stream_audio(double seconds, int rate, std::uint64_t seed) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * rate));
    double phase = 0.0;
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = static_cast<double>(i) / rate;
        const bool quiet = t > seconds * 0.35 && t < seconds * 0.75;
        const double envelope = quiet ? 0.0 : 0.5 + 0.5 * std::sin(2.0 * M_PI * 3.7 * t);
        phase += 2.0 * M_PI * (140.0 + 70.0 * std::sin(1.3 * t)) / rate;
        pcm[i] = static_cast<float>(envelope * (0.3 * std::sin(phase) + 0.08 * std::sin(2.0 * phase)) +
                                    0.003 * nn::counter_uniform(seed, i, -1.0f, 1.0f));
    }
    return pcm;
}

}  // namespace ser::test
