#include "training/augment/pitch_shift.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "audio/resampler.h"
#include "training/augment/time_stretch.h"

namespace ser {

double semitones_to_ratio(double semitones) { return std::pow(2.0, semitones / 12.0); }

namespace {

// The rate to read a clip at so that it plays `ratio` times as fast at sample_rate. It is
// rounded to a multiple of sample_rate / 400, so the rate ratio has few filter phases (at
// most 400 at 16 or 48 kHz), which the resampler precomputes; an arbitrary rate (gcd 1 or 2)
// would make it design every output sample's filter on the fly, about ten times slower. The
// price is a 0.25 % (4 cent) grid.
int source_rate_for(const char* what, int sample_rate, double ratio) {
    if (!(ratio >= 0.5 && ratio <= 2.0))
        throw std::invalid_argument(std::string(what) + ": the ratio must be within [0.5, 2], not " + std::to_string(ratio));
    const int grid = std::max(1, sample_rate / 400);
    const auto source_rate =
        grid * static_cast<int>(std::lround(static_cast<double>(sample_rate) * ratio / static_cast<double>(grid)));
    if (source_rate < 8000 || source_rate > 192000 || sample_rate < 8000 || sample_rate > 192000)
        throw std::invalid_argument(std::string(what) + ": " + std::to_string(sample_rate) + " Hz changed by " +
                                    std::to_string(ratio) + " needs resampling from " + std::to_string(source_rate) +
                                    " Hz, outside the resampler's 8-192 kHz");
    return source_rate;
}

}  // namespace

std::vector<float> pitch_shift(std::span<const float> pcm, int sample_rate, double ratio) {
    // Reading the stretched clip as if recorded at sample_rate * ratio and converting it to
    // sample_rate plays it `ratio` times faster: original length, frequencies times ratio.
    const int source_rate = source_rate_for("pitch_shift", sample_rate, ratio);
    const double applied = static_cast<double>(source_rate) / static_cast<double>(sample_rate);
    const std::vector<float> stretched = time_stretch(pcm, sample_rate, applied);
    std::vector<float> out = resample(stretched, source_rate, sample_rate);
    // The resampler's length is round(n * out / in) or a neighbour: trim or pad the last sample.
    out.resize(pcm.size(), 0.0f);
    return out;
}

std::vector<float> change_speed(std::span<const float> pcm, int sample_rate, double factor) {
    return resample(pcm, source_rate_for("change_speed", sample_rate, factor), sample_rate);
}

}  // namespace ser
