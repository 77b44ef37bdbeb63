#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "app/state/label_colours.h"

using ser::app::label_colours;
using ser::app::LabelColour;

namespace {

std::tuple<int, int, int> rgb(LabelColour c) { return {c.r, c.g, c.b}; }

// Relative luminance (sRGB approximated as gamma 2.2) of a colour.
double luminance(LabelColour c) {
    auto lin = [](int v) { return std::pow(v / 255.0, 2.2); };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

}  // namespace

TEST_CASE("the RAVDESS labels get distinct colours with the usual associations") {
    const std::vector<std::string> ravdess = {"angry", "calm", "disgust", "fearful", "happy", "neutral", "sad", "surprised"};
    const auto colours = label_colours(ravdess);
    std::set<std::tuple<int, int, int>> distinct;
    for (auto c : colours) distinct.insert(rgb(c));
    CHECK(distinct.size() == ravdess.size());
    CHECK(colours[0].r > colours[0].b);  // angry: red
    CHECK(colours[6].b > colours[6].r);  // sad: blue
    // Readable on the dark background (#1e1e22, luminance ~0.013): contrast ratio at least 4.5.
    for (auto c : colours) CHECK((luminance(c) + 0.05) / (0.013 + 0.05) >= 4.5);
}

TEST_CASE("other labels take distinct palette colours, also beside named ones, and any count works") {
    const auto colours = label_colours({"ANGER", "Pleasant_surprise", "ps", "x", "y"});
    std::set<std::tuple<int, int, int>> distinct;
    for (auto c : colours) distinct.insert(rgb(c));
    CHECK(distinct.size() == 5);
    std::vector<std::string> many;
    for (int i = 0; i < 30; ++i) many.push_back("label" + std::to_string(i));
    CHECK(label_colours(many).size() == 30);
    CHECK(label_colours({}).empty());
}
