#include "training/augment/time_stretch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"

namespace ser {

namespace {

// Eight partial sums let the compiler vectorise without reassociating a single float sum.
float dot(const float* a, const float* b, std::size_t n) {
    float partial[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (std::size_t j = 0; j < 8; ++j) partial[j] += a[i + j] * b[i + j];
    float sum = 0.0f;
    for (; i < n; ++i) sum += a[i] * b[i];
    for (float p : partial) sum += p;
    return sum;
}

}  // namespace

std::vector<float> time_stretch(std::span<const float> pcm, int sample_rate, double factor) {
    if (!(factor >= 0.25 && factor <= 4.0))
        throw std::invalid_argument("time_stretch: the factor must be within [0.25, 4], not " + std::to_string(factor));
    if (sample_rate < 1000 || sample_rate > 384000)
        throw std::invalid_argument("time_stretch: unsupported sample rate " + std::to_string(sample_rate));
    require_usable_pcm(pcm, "the audio to stretch");
    const auto n_in = static_cast<std::int64_t>(pcm.size());
    const auto n_out = static_cast<std::int64_t>(std::llround(static_cast<double>(n_in) * factor));
    std::vector<float> out(static_cast<std::size_t>(n_out), 0.0f);
    if (n_in == 0 || n_out == 0) return out;

    // 30 ms Hann frames at 50 % overlap (they sum to one); the search reaches +-12.5 ms, more
    // than half the period of an 40 Hz voice, so some offset always lines up the waveform.
    const std::int64_t half = std::max<std::int64_t>(2, std::llround(0.015 * sample_rate));
    const std::int64_t frame = 2 * half;
    const std::int64_t hop = half;
    const std::int64_t tolerance = std::max<std::int64_t>(1, std::llround(0.0125 * sample_rate));
    std::vector<float> window(static_cast<std::size_t>(frame));
    for (std::int64_t j = 0; j < frame; ++j)
        window[static_cast<std::size_t>(j)] = static_cast<float>(
            0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(j) / static_cast<double>(frame)));

    // Padding so every frame and every searched offset reads inside the buffer.
    const std::int64_t pad = frame + tolerance + hop;
    std::vector<float> x(static_cast<std::size_t>(n_in + 2 * pad), 0.0f);
    std::copy(pcm.begin(), pcm.end(), x.begin() + pad);
    std::vector<double> energy_prefix(x.size() + 1, 0.0);
    for (std::size_t i = 0; i < x.size(); ++i)
        energy_prefix[i + 1] = energy_prefix[i] + static_cast<double>(x[i]) * x[i];

    std::vector<float> weight(static_cast<std::size_t>(n_out), 0.0f);
    const std::int64_t frames = n_out / hop + 2;
    std::int64_t previous_start = 0;  // where frame m-1 was read, in unpadded input samples
    for (std::int64_t m = 0; m < frames; ++m) {
        // Frame m is centred at output sample m*hop, nominally at input m*hop/factor.
        const auto nominal = static_cast<std::int64_t>(
            std::llround(static_cast<double>(m * hop) / factor)) - half;
        std::int64_t start = nominal;
        if (m > 0) {
            // The frame that would continue frame m-1 seamlessly; pick the candidate most like it.
            const float* natural = x.data() + pad + previous_start + hop;
            double best = -2.0;
            for (std::int64_t delta = -tolerance; delta <= tolerance; ++delta) {
                const std::int64_t candidate = std::clamp<std::int64_t>(nominal + delta, -pad + 1, n_in + pad - frame - 1);
                const std::size_t at = static_cast<std::size_t>(candidate + pad);
                const double energy = energy_prefix[at + static_cast<std::size_t>(frame)] - energy_prefix[at];
                const double score = dot(natural, x.data() + at, static_cast<std::size_t>(frame)) / std::sqrt(energy + 1e-12);
                if (score > best + 1e-12 || (delta == 0 && score >= best)) {
                    best = score;
                    start = candidate;
                }
            }
        }
        previous_start = std::clamp<std::int64_t>(start, -pad + 1, n_in + pad - frame - hop - 1);
        const float* source = x.data() + pad + previous_start;
        for (std::int64_t j = 0; j < frame; ++j) {
            const std::int64_t t = m * hop - half + j;
            if (t < 0 || t >= n_out) continue;
            out[static_cast<std::size_t>(t)] += window[static_cast<std::size_t>(j)] * source[j];
            weight[static_cast<std::size_t>(t)] += window[static_cast<std::size_t>(j)];
        }
    }
    for (std::size_t t = 0; t < out.size(); ++t)
        if (weight[t] > 1e-6f) out[t] /= weight[t];
    return out;
}

}  // namespace ser
