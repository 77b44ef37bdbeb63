#include "app/wasm/page.h"

#include <emscripten/emscripten.h>

EM_JS(void, ser_page_request_microphone, (int on), { Module.serPage.requestMicrophone(on !== 0); });
EM_JS(void, ser_page_open_file_picker, (), { Module.serPage.openFilePicker(); });
EM_JS(void, ser_page_open_model_picker, (), { Module.serPage.openModelPicker(); });
EM_JS(void, ser_page_cancel_clip, (int id), { Module.serPage.cancelClip(id); });
EM_JS(void, ser_page_download_clip, (int id, const char* format), { Module.serPage.downloadClip(id, UTF8ToString(format)); });
EM_JS(void, ser_page_save_mic_recording, (), { Module.serPage.saveMicRecording(); });
EM_JS(void, ser_page_calibration_adapt, (), { Module.serPage.calibrationAdapt(); });
EM_JS(void, ser_page_use_adapted_model, (), { Module.serPage.useAdaptedModel(); });
EM_JS(void, ser_page_reset_model, (), { Module.serPage.resetModel(); });
EM_JS(void, ser_page_download_adapted_model, (), { Module.serPage.downloadAdaptedModel(); });
EM_JS(void, ser_page_open_calibration_picker, (int label), { Module.serPage.openCalibrationPicker(label); });
EM_JS(void, ser_page_show_fatal_error, (const char* message), { Module.serPage.showFatalError(UTF8ToString(message)); });

namespace ser::app::page {

void request_microphone(bool on) { ser_page_request_microphone(on ? 1 : 0); }
void open_file_picker() { ser_page_open_file_picker(); }
void open_model_picker() { ser_page_open_model_picker(); }
void cancel_clip(int id) { ser_page_cancel_clip(id); }
void download_clip(int id, const char* format) { ser_page_download_clip(id, format); }
void save_mic_recording() { ser_page_save_mic_recording(); }
void calibration_adapt() { ser_page_calibration_adapt(); }
void use_adapted_model() { ser_page_use_adapted_model(); }
void reset_model() { ser_page_reset_model(); }
void download_adapted_model() { ser_page_download_adapted_model(); }
void open_calibration_picker(int label) { ser_page_open_calibration_picker(label); }
void show_fatal_error(const char* message) { ser_page_show_fatal_error(message); }

}  // namespace ser::app::page
