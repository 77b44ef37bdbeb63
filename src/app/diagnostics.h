#pragma once
// The module's state as JSON, read by the page's diagnostics object (window.serDiagnostics)
// and through it by the e2e tests: what the UI shows, in numbers, and where its controls are.

#include <cstdint>
#include <string>

#include "app/audio_intake.h"
#include "app/item_rects.h"

namespace ser::app {

struct DisplayInfo {
    int css_width = 0;  // canvas size in CSS pixels
    int css_height = 0;
    int framebuffer_width = 0;  // canvas backing store in device pixels
    int framebuffer_height = 0;
    float pixel_ratio = 1.0f;  // framebuffer pixels per CSS pixel (the UI's scale)
};

struct DiagnosticsInput {
    const AudioIntake& intake;
    const ItemRects& items;  // in framebuffer pixels; reported in CSS pixels of the canvas
    const DisplayInfo& display;
    std::uint64_t frames_drawn;
};

std::string diagnostics_json(const DiagnosticsInput& in);

}  // namespace ser::app
