#include "features/pitch.h"

#include <algorithm>
#include <cmath>

#include "features/framing.h"

namespace ser {
namespace {

// sum over j < width of (x[j] - x[j + lag])^2, in four partial sums of fixed order.
double difference_at(const float* x, int width, int lag) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int j = 0;
    for (; j + 4 <= width; j += 4) {
        const double d0 = static_cast<double>(x[j]) - x[j + lag], d1 = static_cast<double>(x[j + 1]) - x[j + 1 + lag];
        const double d2 = static_cast<double>(x[j + 2]) - x[j + 2 + lag], d3 = static_cast<double>(x[j + 3]) - x[j + 3 + lag];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
    }
    for (; j < width; ++j) {
        const double d = static_cast<double>(x[j]) - x[j + lag];
        s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
}

struct Estimate {
    double lag = 0.0;        // in samples, refined between neighbours; 0: none
    double periodicity = 0.0;
    bool voiced = false;
};

// d holds the normalised difference for lags 0 .. max_lag.
Estimate pick_lag(const std::vector<double>& d, int min_lag, int max_lag, double threshold) {
    int best = min_lag;
    for (int t = min_lag; t <= max_lag; ++t) {
        if (d[static_cast<std::size_t>(t)] < threshold) {  // the first dip under the threshold, to its bottom
            while (t + 1 <= max_lag && d[static_cast<std::size_t>(t + 1)] < d[static_cast<std::size_t>(t)]) ++t;
            best = t;
            break;
        }
        if (d[static_cast<std::size_t>(t)] < d[static_cast<std::size_t>(best)]) best = t;
    }
    Estimate e;
    if (min_lag > max_lag) return e;  // no lag of the range fits in the frame
    const double here = d[static_cast<std::size_t>(best)];
    e.periodicity = std::clamp(1.0 - here, 0.0, 1.0);
    e.voiced = here < threshold;
    e.lag = best;
    if (best > min_lag && best < max_lag) {  // the parabola's vertex through the neighbours
        const double a = d[static_cast<std::size_t>(best - 1)], c = d[static_cast<std::size_t>(best + 1)];
        const double curvature = a - 2.0 * here + c;
        if (curvature > 0.0) e.lag += std::clamp(0.5 * (a - c) / curvature, -0.5, 0.5);
    }
    return e;
}

}  // namespace

void pitch_track(std::span<const float> pcm, const FeatureConfig& config, int frames, PitchScratch& scratch,
                 Matrix& pitch, Matrix& periodicity) {
    const int length = config.stft.n_fft, width = length / 2;
    const int max_lag = std::min(width, static_cast<int>(std::floor(config.sample_rate / config.pitch.fmin)));
    const int min_lag = std::max(2, static_cast<int>(std::ceil(config.sample_rate / config.pitch.fmax)));
    const std::int64_t shift = config.stft.center ? length / 2 : 0;
    scratch.frame.resize(static_cast<std::size_t>(length));
    scratch.difference.assign(static_cast<std::size_t>(std::max(max_lag, 0)) + 1, 1.0);
    pitch.resize(1, frames);
    periodicity.resize(1, frames);
    for (int t = 0; t < frames; ++t) {
        copy_padded(pcm, static_cast<std::int64_t>(t) * config.stft.hop_length - shift, length, config.stft.pad_mode,
                    scratch.frame.data());
        // Cumulative mean normalisation: d'(lag) = d(lag) * lag / sum of d(1..lag); a frame of
        // silence (every difference 0) stays at 1, unvoiced.
        double running = 0.0;
        for (int lag = 1; lag <= max_lag; ++lag) {
            const double d = difference_at(scratch.frame.data(), width, lag);
            running += d;
            scratch.difference[static_cast<std::size_t>(lag)] = running > 0.0 ? d * lag / running : 1.0;
        }
        const Estimate e = pick_lag(scratch.difference, min_lag, max_lag, config.pitch.threshold);
        pitch.at(0, t) = e.voiced ? std::log2(config.sample_rate / e.lag / 100.0) : 0.0;
        periodicity.at(0, t) = e.periodicity;
    }
}

}  // namespace ser
