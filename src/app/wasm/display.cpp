#include "app/wasm/display.h"

#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

// Sizes the canvas backing store and tells Emscripten's GLFW, which then reports the new
// window and framebuffer size. (glfwSetWindowSize would do the same, but it asks for full
// screen whenever the size equals the screen's, as it does in a maximised window at 1×.)
EM_JS(void, ser_set_canvas_size, (int width, int height), { Module.setCanvasSize(width, height); });

namespace ser::app {

namespace {

// Glyphs the UI and typical file names need: Latin-1, general punctuation, arrows, minus.
// Must stay within what the embedded font was subset to (src/app/views/CMakeLists.txt).
const ImWchar glyph_ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x2193, 0x2212, 0x2212, 0};

}  // namespace

Display::Display(GLFWwindow* window, const char* canvas_selector, std::span<const unsigned char> font,
                 float base_font_px)
    : window_(window), canvas_selector_(canvas_selector), font_(font), base_font_px_(base_font_px) {}

void Display::update() {
    double css_w = 0.0, css_h = 0.0;
    if (emscripten_get_element_css_size(canvas_selector_, &css_w, &css_h) != EMSCRIPTEN_RESULT_SUCCESS ||
        css_w < 1.0 || css_h < 1.0) {
        return;  // hidden or not laid out yet: keep the last size
    }
    const double dpr = emscripten_get_device_pixel_ratio();
    const int fb_w = static_cast<int>(std::lround(css_w * dpr));
    const int fb_h = static_cast<int>(std::lround(css_h * dpr));
    int win_w = 0, win_h = 0;
    glfwGetWindowSize(window_, &win_w, &win_h);
    if (fb_w != win_w || fb_h != win_h) ser_set_canvas_size(fb_w, fb_h);

    info_ = {static_cast<int>(std::lround(css_w)), static_cast<int>(std::lround(css_h)), fb_w, fb_h,
             static_cast<float>(fb_w / css_w)};
    // Quarter steps: zooming a few percent should not rebuild the font atlas every time.
    const float scale = std::max(0.5f, std::round(static_cast<float>(dpr) * 4.0f) / 4.0f);
    if (scale != font_scale_) rebuild_font_and_style(scale);
}

void Display::rebuild_font_and_style(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    // ImGui only reads the font data; its API is not const-correct.
    void* data = const_cast<unsigned char*>(font_.data());
    io.Fonts->AddFontFromMemoryTTF(data, static_cast<int>(font_.size()), std::round(base_font_px_ * scale), &config,
                                   glyph_ranges);
    // Fonts[1]: headings and the current emotion, readable from across a desk.
    io.Fonts->AddFontFromMemoryTTF(data, static_cast<int>(font_.size()), std::round(base_font_px_ * 1.6f * scale), &config,
                                   glyph_ranges);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();

    ImGuiStyle style;
    ImGui::StyleColorsDark(&style);
    style.WindowBorderSize = 0.0f;
    style.WindowRounding = 0.0f;
    style.WindowPadding = ImVec2(14.0f, 12.0f);
    style.FramePadding = ImVec2(8.0f, 4.0f);
    style.ItemSpacing = ImVec2(8.0f, 6.0f);
    style.FrameRounding = 3.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
    font_scale_ = scale;
}

}  // namespace ser::app
