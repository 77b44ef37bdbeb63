#pragma once
// The two custom drawings of the UI, each laid out as one ImGui item so it flows with the
// rest of the window. Both return the rectangle they occupy (framebuffer pixels).

#include <span>

#include "imgui.h"

#include "app/item_rects.h"
#include "app/waveform.h"

namespace ser::app {

// Bottom of the meter's scale: quieter than this reads as an empty bar.
inline constexpr float meter_floor_dbfs = -60.0f;

// A dark track filled from the left up to dbfs over [meter_floor_dbfs, 0]: green, then
// amber from -12 dBFS, red from -3 dBFS.
Rect level_meter(float dbfs, ImVec2 size);

// One vertical min-to-max stroke per envelope column around a centre line; the columns
// stretch to fill the width.
Rect waveform(std::span<const Envelope> columns, ImVec2 size);

}  // namespace ser::app
