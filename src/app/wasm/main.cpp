// The browser app: Dear ImGui on WebGL2 through Emscripten's GLFW, one frame per
// requestAnimationFrame. The page (web/main.js) feeds audio in through bindings.cpp.

#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"

#include "app/state/session.h"
#include "app/views/font_data.h"
#include "app/views/ui.h"
#include "app/wasm/display.h"
#include "app/wasm/page.h"

namespace {

// Body text in CSS pixels: readable on a laptop without crowding the controls.
constexpr float font_px = 16.0f;

struct App {
    GLFWwindow* window;
    ser::app::Display display;
    ser::app::Ui ui;
};

void frame(void* arg) {
    App& app = *static_cast<App*>(arg);
    ser::app::Session& s = ser::app::session();
    s.frames.tick(emscripten_get_now());
    app.display.update();
    s.display = app.display.info();

    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    app.ui.draw(s);
    ImGui::Render();

    glViewport(0, 0, s.display.framebuffer_width, s.display.framebuffer_height);
    glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

int main() {
    if (!glfwInit()) {
        ser::app::page::show_fatal_error("The page could not set up its window (GLFW failed to start).");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    // The real size comes from the canvas's CSS box on the first frame (Display::update).
    GLFWwindow* window = glfwCreateWindow(640, 480, "ser", nullptr, nullptr);
    if (window == nullptr) {
        ser::app::page::show_fatal_error(
            "This browser could not start WebGL2, which the interface needs to draw. Turn on hardware "
            "acceleration (or WebGL) in the browser's settings, or try a current Chrome, Edge or Firefox.");
        return 1;
    }
    glfwMakeContextCurrent(window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab and Space reach every button
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    // Created now so that Display can swap the font texture whenever the pixel ratio changes.
    ImGui_ImplOpenGL3_CreateDeviceObjects();

    static App app{window, ser::app::Display(window, "#canvas", ser::app::ui_font(), font_px), {}};
    emscripten_set_main_loop_arg(frame, &app, 0, false);
    return 0;
}
