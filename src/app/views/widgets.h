#pragma once
// The custom drawings of the UI, each laid out as one ImGui item so it flows with the rest of
// the window. Each returns the rectangle it occupies (framebuffer pixels).

#include <span>
#include <string>
#include <vector>

#include "imgui.h"

#include "app/state/item_rects.h"
#include "app/state/label_colours.h"
#include "app/state/waveform.h"

namespace ser::app {

// Bottom of the meter's scale: quieter than this reads as an empty bar.
inline constexpr float meter_floor_dbfs = -60.0f;

// A dark track filled from the left up to dbfs over [meter_floor_dbfs, 0]: green, then
// amber from -12 dBFS, red from -3 dBFS.
Rect level_meter(float dbfs, ImVec2 size);

// One vertical min-to-max stroke per envelope column around a centre line; the columns
// stretch to fill the width.
Rect waveform(std::span<const Envelope> columns, ImVec2 size);

ImU32 to_imgui(LabelColour colour, float alpha = 1.0f);

// One row per label: its name, a bar as long as its probability in the label's colour, and
// the number. Without probabilities (empty span) the bars are drawn empty and greyed.
Rect probability_bars(const std::vector<std::string>& labels, std::span<const float> probabilities,
                      const std::vector<LabelColour>& colours, float width);

// Probabilities over time, one line per label; points without speech are shaded instead.
struct TimelineData {
    double t0 = 0.0, t1 = 1.0;               // the x axis, in seconds
    std::span<const double> times;           // per point
    std::span<const unsigned char> speech;   // per point
    std::span<const float> values;           // points x classes (rows without speech are ignored)
    std::size_t classes = 0;
    const std::vector<LabelColour>* colours = nullptr;
};

// Reused between frames: a plot allocates only when it grows.
struct PlotScratch {
    std::vector<float> sums;
    std::vector<int> counts;
    std::vector<unsigned char> silent;
    std::vector<ImVec2> line;
};

Rect timeline_plot(const TimelineData& data, ImVec2 size, PlotScratch& scratch);

// The confusion matrix as row shares (true label per row), coloured by share, with the
// percentage in each cell and the labels along the left and top.
Rect confusion_heatmap(const std::vector<std::vector<double>>& shares, const std::vector<std::string>& labels,
                       float width);

}  // namespace ser::app
