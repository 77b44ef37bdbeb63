#include "app/page.h"

#include <emscripten/emscripten.h>

EM_JS(void, ser_page_request_microphone, (int on), { Module.serPage.requestMicrophone(on !== 0); });
EM_JS(void, ser_page_open_file_picker, (), { Module.serPage.openFilePicker(); });
EM_JS(void, ser_page_show_fatal_error, (const char* message), { Module.serPage.showFatalError(UTF8ToString(message)); });

namespace ser::app::page {

void request_microphone(bool on) { ser_page_request_microphone(on ? 1 : 0); }
void open_file_picker() { ser_page_open_file_picker(); }
void show_fatal_error(const char* message) { ser_page_show_fatal_error(message); }

}  // namespace ser::app::page
