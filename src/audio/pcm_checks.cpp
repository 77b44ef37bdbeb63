#include "audio/pcm_checks.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ser {

void require_finite(std::span<const float> samples, std::string_view what) {
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (!std::isfinite(samples[i])) {
            throw std::invalid_argument(std::string(what) + ": sample " + std::to_string(i) + " is " +
                                        (std::isnan(samples[i]) ? "NaN" : "infinite") +
                                        "; audio must be finite (check the decoder or the source)");
        }
    }
}

}  // namespace ser
