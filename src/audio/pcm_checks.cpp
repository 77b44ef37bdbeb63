#include "audio/pcm_checks.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace ser {

void require_usable_pcm(std::span<const float> samples, std::string_view what) {
    // A branch-free count first (it vectorises: every piece of audio passes here); false for
    // NaN and infinities too. Only a failing piece is walked again to name its first bad sample.
    std::size_t unusable = 0;
    for (const float x : samples) unusable += !(std::fabs(x) <= max_pcm_magnitude);
    if (unusable == 0) return;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const float x = samples[i];
        if (!std::isfinite(x)) {
            throw std::invalid_argument(std::string(what) + ": sample " + std::to_string(i) + " is " +
                                        (std::isnan(x) ? "NaN" : "infinite") +
                                        "; audio must be finite (check the decoder or the source)");
        }
        if (std::fabs(x) > max_pcm_magnitude) {
            std::ostringstream message;
            message << what << ": sample " << i << " is " << x << ", beyond ±" << max_pcm_magnitude
                    << " (audio is expected within about ±1); rescale it to [-1, 1], e.g. sox in.wav out.wav norm";
            throw std::invalid_argument(message.str());
        }
    }
}

}  // namespace ser
