#pragma once
// The log-mel spectrogram of the last few seconds of microphone audio, for display: mel
// bands in dB of the audio at the device's rate (10 ms hop, 25 ms window), computed frame by
// frame as blocks arrive by a FeatureStream, kept in a ring of columns. Independent of any
// model, so it also runs when none is loaded. No allocation once the first block is in.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "features/feature_config.h"
#include "features/feature_stream.h"

namespace ser::app {

// The display's features at `sample_rate`: 64 slaney mel bands from 50 Hz to 8 kHz (or
// Nyquist), power in dB with an 80 dB floor per frame; frames depend only on their samples.
FeatureConfig spectrogram_config(int sample_rate);

class Spectrogram {
public:
    Spectrogram(int sample_rate, double seconds);

    // Throws std::invalid_argument on a non-finite sample (nothing is kept).
    void push(std::span<const float> samples);
    void clear();

    int bands() const { return bands_; }
    std::size_t capacity() const { return capacity_; }  // columns kept
    std::size_t columns() const { return count_; }      // columns held
    // Column i (0 = oldest held), `bands()` values in dB from the lowest band up.
    std::span<const float> column(std::size_t i) const;
    // The loudest band of the columns held: the top of the display's colour scale.
    float peak_db() const;
    // Changes whenever a column is added, so a display redraws only then.
    std::uint64_t version() const { return version_; }
    int sample_rate() const { return sample_rate_; }

private:
    int sample_rate_;
    FeatureStream stream_;
    int bands_;
    std::size_t capacity_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
    std::uint64_t version_ = 0;
    std::vector<float> frames_;   // scratch for each push
    std::vector<float> columns_;  // capacity_ x bands_
    std::vector<float> column_peak_;
};

struct Rgba {
    std::uint8_t r, g, b, a;
};

// A perceptually ordered dark-to-bright map (close to matplotlib's "magma") for t in [0, 1];
// t outside is clamped. Dark for quiet so the display reads on the UI's dark background.
Rgba heat_colour(float t);

}  // namespace ser::app
