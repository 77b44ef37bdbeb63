#include "app/state/label_colours.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace ser::app {

namespace {

struct Named {
    std::string_view prefix;  // matched against the start of the lower-cased label
    LabelColour colour;
};

// Names as RAVDESS, TESS, CREMA-D, EmoDB and SAVEE spell them (and their common short forms).
constexpr std::array<Named, 9> named = {{
    {"ang", {235, 87, 87}},     // angry, anger
    {"hap", {242, 201, 76}},    // happy, happiness
    {"sad", {86, 156, 232}},    // sad, sadness
    {"neu", {170, 170, 178}},   // neutral
    {"cal", {111, 207, 151}},   // calm
    {"fea", {187, 134, 252}},   // fear, fearful
    {"dis", {160, 196, 90}},    // disgust
    {"sur", {242, 153, 74}},    // surprised, surprise
    {"ps", {242, 153, 74}},     // TESS: pleasant surprise
}};

// Distinct hues for everything else, in order of use.
constexpr std::array<LabelColour, 12> palette = {{{86, 180, 233},
                                                   {230, 159, 0},
                                                   {0, 190, 140},
                                                   {240, 228, 66},
                                                   {204, 121, 167},
                                                   {213, 94, 0},
                                                   {120, 160, 255},
                                                   {255, 140, 170},
                                                   {150, 220, 220},
                                                   {200, 170, 120},
                                                   {170, 255, 120},
                                                   {220, 220, 220}}};

bool same(LabelColour a, LabelColour b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

}  // namespace

std::vector<LabelColour> label_colours(const std::vector<std::string>& labels) {
    std::vector<LabelColour> out(labels.size());
    std::vector<bool> assigned(labels.size(), false);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        std::string lower = labels[i];
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (const Named& n : named) {
            if (lower.rfind(n.prefix, 0) != 0) continue;
            const bool taken = std::any_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(i), [&](LabelColour c) {
                return same(c, n.colour);
            });
            if (!taken) {
                out[i] = n.colour;
                assigned[i] = true;
            }
            break;
        }
    }
    std::size_t next = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (assigned[i]) continue;
        // Skip palette entries a named label already uses; reuse only once all are taken.
        for (std::size_t tries = 0; tries < palette.size(); ++tries, ++next) {
            const LabelColour candidate = palette[next % palette.size()];
            if (std::none_of(out.begin(), out.end(), [&](LabelColour c) { return same(c, candidate); })) break;
        }
        out[i] = palette[next % palette.size()];
        ++next;
    }
    return out;
}

}  // namespace ser::app
