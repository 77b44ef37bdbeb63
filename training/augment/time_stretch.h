#pragma once
// Time stretch that keeps pitch: WSOLA (waveform-similarity overlap-add, Verhelst & Roelands
// 1993). Chosen over a phase vocoder for speech: it works in the time domain, so it does not
// smear transients or add the phasiness a vocoder has at these factors, and it is cheap
// enough to run on the fly for every training clip.

#include <span>
#include <vector>

namespace ser {

// Returns round(pcm.size() * factor) samples: factor 1.25 makes the clip 25 % longer at the
// same pitch. factor must be within [0.25, 4]; sample_rate within [1000, 384000] (it sets
// the 30 ms frames and the +-12.5 ms similarity search).
std::vector<float> time_stretch(std::span<const float> pcm, int sample_rate, double factor);

}  // namespace ser
