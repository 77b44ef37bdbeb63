#pragma once
// Where the UI drew its named controls this frame, so the diagnostics can tell a test (or a
// person debugging) where to click: tests press the real buttons on the canvas.

#include <vector>

namespace ser::app {

struct Rect {
    float x = 0.0f;
    float y = 0.0f;
    float width = 0.0f;
    float height = 0.0f;
};

struct NamedRect {
    const char* name;  // a string literal: recording a rect never allocates
    Rect rect;
};

class ItemRects {
public:
    void clear() { items_.clear(); }
    void record(const char* name, Rect rect) { items_.push_back({name, rect}); }
    const std::vector<NamedRect>& items() const { return items_; }

private:
    std::vector<NamedRect> items_;
};

}  // namespace ser::app
