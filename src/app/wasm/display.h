#pragma once
// Keeps the canvas sharp at any size and zoom: its backing store follows its CSS size times
// devicePixelRatio, and ImGui draws in those device pixels with its font and sizes scaled
// by the same ratio. (Emscripten's GLFW then reports window = framebuffer size, and its
// mouse events are already converted to backing-store pixels.)

#include <span>

#include "app/state/display_info.h"

struct GLFWwindow;

namespace ser::app {

class Display {
public:
    // font: a TrueType file that outlives the Display; base_font_px: its size in CSS pixels.
    Display(GLFWwindow* window, const char* canvas_selector, std::span<const unsigned char> font, float base_font_px);

    // Call once per frame before ImGui::NewFrame.
    void update();
    const DisplayInfo& info() const { return info_; }

private:
    void rebuild_font_and_style(float scale);

    GLFWwindow* window_;
    const char* canvas_selector_;
    std::span<const unsigned char> font_;
    float base_font_px_;
    float font_scale_ = 0.0f;  // the scale the current font atlas was built for
    DisplayInfo info_;
};

}  // namespace ser::app
