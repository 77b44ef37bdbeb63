#pragma once
// Reduces recent audio to one min/max pair per pixel column, so a waveform of any length
// draws as vertical strokes without the aliasing of plotting every n-th sample.

#include <span>

namespace ser::app {

struct Envelope {
    float low = 0.0f;
    float high = 0.0f;
};

// Column c covers samples [c·n/cols, (c+1)·n/cols); with fewer samples than columns a column
// shows the sample under it. With no samples every column is silence (0, 0).
void waveform_envelope(std::span<const float> samples, std::span<Envelope> columns);

}  // namespace ser::app
