#include "model/speaker_statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ser {

SpeakerStatistics::SpeakerStatistics(const Model& model)
    : base_(model.normalisation),
      channels_(model.network.input_shape().channels),
      time_(model.network.input_shape().time),
      pooled_(model.features.input.pooling == Pooling::mean),
      sum_(base_.mean.size(), 0.0),
      sq_(base_.mean.size(), 0.0),
      count_(base_.mean.size(), 0.0) {}

// A pooled model keeps statistics per element of its one input step, a frame model per channel.
std::size_t SpeakerStatistics::stat_index(std::size_t value) const {
    return pooled_ ? value : value / static_cast<std::size_t>(time_);
}

void SpeakerStatistics::add_centred(std::span<const float> input) {
    if (input.size() != static_cast<std::size_t>(channels_) * static_cast<std::size_t>(time_))
        throw std::invalid_argument("speaker statistics: a window of " + std::to_string(input.size()) +
                                    " values, the network takes " + std::to_string(channels_ * time_));
    if (base_.mean.empty()) return;
    for (std::size_t i = 0; i < input.size(); ++i) {
        const std::size_t k = stat_index(i);
        const double v = input[i];
        sum_[k] += v;
        sq_[k] += v * v;
        count_[k] += 1.0;
    }
    ++windows_;
}

Normalisation SpeakerStatistics::normalisation() const {
    Normalisation n = base_;
    if (windows_ == 0) return n;
    for (std::size_t k = 0; k < n.mean.size(); ++k) {
        const double mean = sum_[k] / count_[k];
        const double sd = std::sqrt(std::max(0.0, sq_[k] / count_[k] - mean * mean));
        n.mean[k] = static_cast<float>(mean);
        // A near-constant channel (or one clip of a pooled model) must not blow up.
        n.std[k] = static_cast<float>(std::max(sd, 0.1 * base_.std[k]));
    }
    return n;
}

}  // namespace ser
