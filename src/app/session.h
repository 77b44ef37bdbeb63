#pragma once
// The one running app: shared by the frame loop (main.cpp) and the functions the page calls
// (bindings.cpp), which have no other way to reach it.

#include <cstdint>

#include "app/audio_intake.h"
#include "app/diagnostics.h"
#include "app/item_rects.h"

namespace ser::app {

struct Session {
    AudioIntake intake;
    ItemRects items;
    DisplayInfo display;
    std::uint64_t frames_drawn = 0;
};

Session& session();

}  // namespace ser::app
