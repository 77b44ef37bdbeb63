#pragma once
// The app's one window: microphone and file controls, and the level and waveform of the
// audio the module received. Reads the session; acts only through page requests.

#include <vector>

#include "app/session.h"
#include "app/waveform.h"

namespace ser::app {

class Ui {
public:
    void draw(Session& session);

private:
    void draw_microphone(Session& session);
    void draw_files(Session& session);
    void draw_stream(const StreamMonitor& stream, const char* meter_name, const char* waveform_name,
                     ItemRects& items);

    // Reused every frame: drawing allocates only when the canvas or the rate grows.
    std::vector<float> recent_;
    std::vector<Envelope> columns_;
};

}  // namespace ser::app
