#pragma once
// The canvas's size as the display last set it up (see display.h).

namespace ser::app {

struct DisplayInfo {
    int css_width = 0;  // canvas size in CSS pixels
    int css_height = 0;
    int framebuffer_width = 0;  // canvas backing store in device pixels
    int framebuffer_height = 0;
    float pixel_ratio = 1.0f;  // framebuffer pixels per CSS pixel (the UI's scale)
};

}  // namespace ser::app
