#pragma once
// What the module asks of the page (web/main.js provides these as Module.serPage): the
// browser owns the microphone, the file picker and the HTML shown when WebGL2 is missing.

namespace ser::app::page {

void request_microphone(bool on);
void open_file_picker();
// Replaces the canvas with an HTML message: for failures that leave nothing to draw with.
void show_fatal_error(const char* message);

}  // namespace ser::app::page
