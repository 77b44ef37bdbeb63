#include "training/normalisation_fit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ser {

Normalisation fit_normalisation(const std::vector<std::span<const float>>& inputs, int channels, int time, bool pooled,
                                bool per_utterance) {
    if (inputs.empty()) throw std::invalid_argument("no inputs to fit the normalisation on");
    const int stats = pooled ? channels * time : channels;
    std::vector<double> sum(static_cast<std::size_t>(stats), 0.0), sum_sq(static_cast<std::size_t>(stats), 0.0);
    std::vector<double> centred(static_cast<std::size_t>(time));
    double count = 0.0;
    for (const auto& x : inputs) {
        if (x.size() != static_cast<std::size_t>(channels) * static_cast<std::size_t>(time))
            throw std::invalid_argument("normalisation inputs differ in shape");
        for (int c = 0; c < channels; ++c) {
            const float* row = x.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(time);
            double offset = 0.0;
            if (per_utterance) {
                for (int t = 0; t < time; ++t) offset += row[t];
                offset /= time;
            }
            for (int t = 0; t < time; ++t) {
                const double v = row[t] - offset;
                const auto k = static_cast<std::size_t>(pooled ? c * time + t : c);
                sum[k] += v;
                sum_sq[k] += v * v;
            }
        }
        count += 1.0;
    }
    const double per_stat = pooled ? count : count * time;
    Normalisation n;
    n.per_utterance = per_utterance;
    for (std::size_t k = 0; k < sum.size(); ++k) {
        const double mean = sum[k] / per_stat;
        const double var = std::max(0.0, sum_sq[k] / per_stat - mean * mean);
        const double sd = std::sqrt(var);
        n.mean.push_back(static_cast<float>(mean));
        n.std.push_back(sd > 1e-6 ? static_cast<float>(sd) : 1.0f);
    }
    return n;
}

}  // namespace ser
