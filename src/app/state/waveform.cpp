#include "app/state/waveform.h"

#include <algorithm>
#include <cstddef>

namespace ser::app {

void waveform_envelope(std::span<const float> samples, std::span<Envelope> columns) {
    const std::size_t n = samples.size();
    const std::size_t cols = columns.size();
    for (std::size_t c = 0; c < cols; ++c) {
        if (n == 0) {
            columns[c] = {};
            continue;
        }
        const std::size_t begin = std::min(n - 1, c * n / cols);
        const std::size_t end = std::max(begin + 1, (c + 1) * n / cols);
        const auto [low, high] = std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(begin),
                                                     samples.begin() + static_cast<std::ptrdiff_t>(end));
        columns[c] = {*low, *high};
    }
}

}  // namespace ser::app
