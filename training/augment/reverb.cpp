#include "training/augment/reverb.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"
#include "training/augment/fft.h"

namespace ser {

namespace {

double sum_of_squares(std::span<const float> x) {
    double sum = 0.0;
    for (float v : x) sum += static_cast<double>(v) * v;
    return sum;
}

}  // namespace

std::vector<float> synthetic_rir(int sample_rate, const RoomSettings& room, nn::Rng& rng) {
    if (sample_rate < 1000 || sample_rate > 384000)
        throw std::invalid_argument("synthetic_rir: unsupported sample rate " + std::to_string(sample_rate));
    if (!(room.rt60_s >= 0.05 && room.rt60_s <= 3.0))
        throw std::invalid_argument("synthetic_rir: RT60 must be within [0.05, 3] s, not " + std::to_string(room.rt60_s));
    if (!(room.drr_db >= -20.0 && room.drr_db <= 40.0))
        throw std::invalid_argument("synthetic_rir: the direct-to-reverberant ratio must be within [-20, 40] dB, not " +
                                    std::to_string(room.drr_db));
    const auto length = static_cast<std::size_t>(std::ceil(room.rt60_s * sample_rate));
    // Amplitude exp(-a t) is 60 dB down at t = RT60 when a = 3 ln(10) / RT60.
    const double decay_per_sample = 3.0 * std::numbers::ln10 / (room.rt60_s * sample_rate);
    std::vector<float> rir(length, 0.0f);
    for (std::size_t i = 1; i < length; ++i)
        rir[i] = static_cast<float>(rng.normal() * std::exp(-decay_per_sample * static_cast<double>(i)));
    const double tail_energy = sum_of_squares(rir);
    const double scale = tail_energy > 0.0 ? std::sqrt(std::pow(10.0, -room.drr_db / 10.0) / tail_energy) : 0.0;
    for (auto& v : rir) v = static_cast<float>(v * scale);
    rir[0] = 1.0f;
    return rir;
}

std::vector<float> reverberate(std::span<const float> pcm, std::span<const float> rir) {
    require_usable_pcm(pcm, "the audio to reverberate");
    require_usable_pcm(rir, "the room impulse response");
    if (rir.empty()) throw std::invalid_argument("reverberate: the room impulse response is empty");
    std::vector<float> wet = fft_convolve(pcm, rir);
    wet.resize(pcm.size());
    const double dry_energy = sum_of_squares(pcm);
    const double wet_energy = sum_of_squares(wet);
    if (wet_energy > 0.0) {
        const double scale = std::sqrt(dry_energy / wet_energy);
        for (auto& v : wet) v = static_cast<float>(v * scale);
    }
    return wet;
}

}  // namespace ser
