#pragma once
// Voice pitch per frame, from the frame's own samples only (so a stream and a window agree):
// YIN's cumulative mean normalised difference over lags sample_rate / fmax .. sample_rate /
// fmin, integrated over the first half of the frame (so lags longer than half a frame, a
// pitch below 2 * sample_rate / n_fft, are not searched: 80 Hz in the default preset). Two
// rows each:
//   pitch        log2(F0 / 100 Hz) where the frame is voiced (the difference dips below
//                the threshold), 0 where it is not;
//   periodicity  1 - the difference at the chosen lag, in [0, 1]: how periodic the frame is.
// The spectrum shows pitch only as the spacing of harmonics, which a network reading mel
// bands must piece together; pitch level and movement are the cues of arousal that vary
// least between languages.

#include <span>
#include <vector>

#include "features/feature_config.h"
#include "features/matrix.h"

namespace ser {

struct PitchScratch {
    std::vector<float> frame;
    std::vector<double> difference;
};

// Frame t as the STFT cuts it (config.stft: n_fft samples from t * hop, or centred).
void pitch_track(std::span<const float> pcm, const FeatureConfig& config, int frames, PitchScratch& scratch,
                 Matrix& pitch, Matrix& periodicity);

}  // namespace ser
