#pragma once
// One colour per emotion label, the same in every panel. Common emotion names get colours
// people associate with them (angry red, sad blue, ...); other labels take the rest of a
// palette of distinct hues. All are light enough to read on the UI's dark background.

#include <cstdint>
#include <string>
#include <vector>

namespace ser::app {

struct LabelColour {
    std::uint8_t r, g, b;
};

// Colours for `labels` in order; no two labels share one while the palette lasts (12).
std::vector<LabelColour> label_colours(const std::vector<std::string>& labels);

}  // namespace ser::app
