#pragma once
// The app's one window: the model line, then the live microphone panel and the uploads
// (side by side on a wide canvas, one above the other on a narrow one), the model card,
// the performance figures and the settings. Reads the session; acts through page requests
// and the session's functions.

#include <cstdint>
#include <vector>

#include "app/state/label_colours.h"
#include "app/state/session.h"
#include "app/state/waveform.h"
#include "app/views/spectrogram_view.h"
#include "app/views/widgets.h"

namespace ser::app {

class Ui {
public:
    void draw(Session& session);

private:
    void draw_header(Session& s);
    void draw_live(Session& s);
    void draw_live_result(Session& s);
    void draw_files(Session& s);
    void draw_clip_table(Session& s);
    void draw_selected_clip(Session& s);
    void draw_model_card(Session& s);
    void draw_performance(Session& s);
    void draw_settings(Session& s);
    void draw_calibration(Session& s);
    void draw_calibration_result(Session& s);
    void draw_adapted_badge(Session& s);
    void draw_stream(const InputMeter& stream, const char* meter_name, const char* waveform_name, ItemRects& items);
    const std::vector<LabelColour>& colours_for(const std::vector<std::string>& labels);

    // Reused every frame: drawing allocates only when the canvas, the rate or the data grow.
    std::vector<float> recent_;
    std::vector<Envelope> columns_;
    PlotScratch plot_;
    std::vector<double> times_;
    std::vector<unsigned char> speech_;
    std::vector<float> values_;
    SpectrogramView spectrogram_;
    std::vector<std::string> coloured_labels_;
    std::vector<LabelColour> colours_;
    LiveControls editing_;  // the sliders' values while they are dragged
    bool editing_started_ = false;
};

}  // namespace ser::app
