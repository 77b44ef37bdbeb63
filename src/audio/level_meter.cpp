#include "audio/level_meter.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ser {

float rms_dbfs(std::span<const float> samples) {
    if (samples.empty()) return silence_floor_dbfs;
    // Four running sums instead of one: a single chain of dependent adds was most of the
    // voice-activity step's cost (every window's 2 s pass through here).
    double sums[4] = {0.0, 0.0, 0.0, 0.0};
    std::size_t i = 0;
    for (; i + 4 <= samples.size(); i += 4)
        for (std::size_t k = 0; k < 4; ++k) sums[k] += static_cast<double>(samples[i + k]) * samples[i + k];
    for (; i < samples.size(); ++i) sums[0] += static_cast<double>(samples[i]) * samples[i];
    const double mean_square = (sums[0] + sums[1] + sums[2] + sums[3]) / static_cast<double>(samples.size());
    if (mean_square <= 0.0) return silence_floor_dbfs;
    return std::max(silence_floor_dbfs, static_cast<float>(10.0 * std::log10(mean_square)));
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
