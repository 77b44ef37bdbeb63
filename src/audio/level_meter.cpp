#include "audio/level_meter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ser {

namespace {

struct Sums {
    double values = 0.0, squares = 0.0;
};

// Four running sums of each kind instead of one: a single chain of dependent adds was most
// of the voice-activity step's cost (every window's 2 s pass through here).
Sums sums_of(std::span<const float> samples) {
    double values[4] = {0.0, 0.0, 0.0, 0.0}, squares[4] = {0.0, 0.0, 0.0, 0.0};
    std::size_t i = 0;
    for (; i + 4 <= samples.size(); i += 4)
        for (std::size_t k = 0; k < 4; ++k) {
            const double x = samples[i + k];
            values[k] += x;
            squares[k] += x * x;
        }
    for (; i < samples.size(); ++i) {
        values[0] += samples[i];
        squares[0] += static_cast<double>(samples[i]) * samples[i];
    }
    return {values[0] + values[1] + values[2] + values[3], squares[0] + squares[1] + squares[2] + squares[3]};
}

float power_dbfs(double mean_square) {
    if (!(mean_square > 0.0)) return silence_floor_dbfs;
    return std::max(silence_floor_dbfs, static_cast<float>(10.0 * std::log10(mean_square)));
}

}  // namespace

float rms_dbfs(std::span<const float> samples) {
    if (samples.empty()) return silence_floor_dbfs;
    return power_dbfs(sums_of(samples).squares / static_cast<double>(samples.size()));
}

// The mean square about the mean is E[x^2] - E[x]^2: in double, exact enough even under a
// full-scale offset for blocks of a few hundred samples (a 20 ms frame).
float ac_rms_dbfs(std::span<const float> samples) {
    if (samples.empty()) return silence_floor_dbfs;
    const Sums s = sums_of(samples);
    const auto n = static_cast<double>(samples.size());
    const double mean = s.values / n;
    return power_dbfs(s.squares / n - mean * mean);
}

LevelMeter::LevelMeter(float sample_rate, float release_db_per_s)
    : sample_rate_(sample_rate), release_db_per_s_(release_db_per_s) {
    if (!(sample_rate > 0.0f)) throw std::invalid_argument("LevelMeter needs a positive sample rate");
}

void LevelMeter::push(std::span<const float> samples) {
    if (samples.empty()) return;
    block_dbfs_ = rms_dbfs(samples);
    const float fall = release_db_per_s_ * static_cast<float>(samples.size()) / sample_rate_;
    meter_dbfs_ = std::max(block_dbfs_, std::max(silence_floor_dbfs, meter_dbfs_ - fall));
    for (float s : samples) peak_ = std::max(peak_, std::fabs(s));
    samples_seen_ += static_cast<std::int64_t>(samples.size());
}

void LevelMeter::reset() { *this = LevelMeter(sample_rate_, release_db_per_s_); }

}  // namespace ser
