#pragma once
// What the module asks of the page (web/main.js provides these as Module.serPage): the
// browser owns the microphone, the file pickers, the upload worker, downloads and the HTML
// shown when WebGL2 is missing.

namespace ser::app::page {

void request_microphone(bool on);
void open_file_picker();
void open_model_picker();
// Stops a clip's analysis (or takes it out of the queue).
void cancel_clip(int id);
// Saves a finished clip's report; format: "csv" or "json".
void download_clip(int id, const char* format);
// Saves the microphone recording the module kept (MicRecorder) as a WAV file.
void save_mic_recording();
// Calibration (web/calibration.js): adapt the model on the takes in the session; use the
// adapted model the guard advised against; go back to the model calibration started from;
// save the adapted model file; pick clips to upload for a label (index into the model's).
void calibration_adapt();
void use_adapted_model();
void reset_model();
void download_adapted_model();
void open_calibration_picker(int label);
// Replaces the canvas with an HTML message: for failures that leave nothing to draw with.
void show_fatal_error(const char* message);

}  // namespace ser::app::page
