#pragma once
// Small pieces every panel of the UI uses: its colours and text helpers.

#include <cstdint>

#include "imgui.h"

#include "app/state/item_rects.h"

namespace ser::app::ui {

inline const ImVec4 error_colour(1.0f, 0.45f, 0.4f, 1.0f);
inline const ImVec4 warning_colour(0.95f, 0.75f, 0.3f, 1.0f);
inline const ImVec4 good_colour(0.35f, 0.85f, 0.5f, 1.0f);
inline const ImVec4 muted_colour(0.65f, 0.65f, 0.7f, 1.0f);
inline const ImVec4 accent_colour(0.45f, 0.7f, 0.95f, 1.0f);

Rect last_item_rect();
// A button whose place is published under `name` (a string literal), so tests click the real thing.
bool tracked_button(ItemRects& items, const char* label, const char* name = nullptr);
// Wraps at the window's edge, also after SameLine: narrow (phone) canvases clip nothing.
void wrapped_colour_text(const ImVec4& colour, const char* text);
void section_heading(const char* title);
// The large font (for the current emotion and the state), or the default one.
ImFont* large_font();
double seconds(std::int64_t samples, float rate);

}  // namespace ser::app::ui
