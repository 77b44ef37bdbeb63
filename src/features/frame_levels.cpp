#include "features/frame_levels.h"

#include <algorithm>
#include <cmath>

namespace ser {

float frame_level(const float* frame, std::size_t stride, int rows) {
    constexpr float db_to_ln = 0.2302585093f;  // ln(10) / 10
    // Summed in double: one row of +100 dB and another of -100 dB differ by 1e20.
    double power = 0.0;
    for (int r = 0; r < rows; ++r) power += std::exp(frame[static_cast<std::size_t>(r) * stride] * db_to_ln);
    return static_cast<float>(10.0 * std::log10(std::max(power, 1e-30)));
}

void frame_levels(const FeatureMatrix& clip, int rows, std::vector<float>& out) {
    const auto cols = static_cast<std::size_t>(clip.cols);
    out.resize(cols);
    const int summed = rows > 0 ? std::min(rows, clip.rows) : clip.rows;
    for (std::size_t t = 0; t < cols; ++t) out[t] = frame_level(clip.values.data() + t, cols, summed);
}

int level_rows(const FeatureConfig& config) {
    const auto& f = config.input.features;
    return !f.empty() && f.front() == "mel_db" && config.input.pooling == Pooling::none ? config.mel.n_mels : 0;
}

}  // namespace ser
