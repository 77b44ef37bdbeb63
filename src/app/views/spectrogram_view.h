#pragma once
// Draws a Spectrogram as an image: its columns go into a WebGL texture (uploaded only when a
// column was added), newest at the right edge, low bands at the bottom, coloured by
// heat_colour over the 70 dB below the loudest band shown.

#include <cstdint>
#include <vector>

#include "imgui.h"

#include "app/state/item_rects.h"
#include "app/state/spectrogram.h"

namespace ser::app {

class SpectrogramView {
public:
    SpectrogramView() = default;
    ~SpectrogramView();
    SpectrogramView(const SpectrogramView&) = delete;
    SpectrogramView& operator=(const SpectrogramView&) = delete;

    // Draws `spectrogram` (or an empty panel when there is none) as one ImGui item.
    Rect draw(const Spectrogram* spectrogram, ImVec2 size);

private:
    void upload(const Spectrogram& s);

    unsigned int texture_ = 0;
    int width_ = 0;
    int height_ = 0;
    const Spectrogram* shown_ = nullptr;
    std::uint64_t version_ = 0;
    std::vector<std::uint8_t> rgba_;
};

// The colour scale's span below the loudest band shown.
inline constexpr float spectrogram_range_db = 70.0f;

}  // namespace ser::app
