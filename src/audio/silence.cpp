#include "audio/silence.h"

#include <algorithm>

namespace ser {

std::vector<float> pad_silence(std::span<const float> pcm, std::size_t samples) {
    std::vector<float> out(pcm.size() + 2 * samples, 0.0f);
    std::copy(pcm.begin(), pcm.end(), out.begin() + static_cast<std::ptrdiff_t>(samples));
    return out;
}

}  // namespace ser
