#include "app/views/ui_common.h"

namespace ser::app::ui {

Rect last_item_rect() {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 size = ImGui::GetItemRectSize();
    return {min.x, min.y, size.x, size.y};
}

bool tracked_button(ItemRects& items, const char* label, const char* name) {
    const bool pressed = ImGui::Button(label);
    items.record(name ? name : label, last_item_rect());
    return pressed;
}

void wrapped_colour_text(const ImVec4& colour, const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void section_heading(const char* title) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, accent_colour);
    ImGui::TextUnformatted(title);
    ImGui::PopStyleColor();
    ImGui::Separator();
}

ImFont* large_font() {
    ImFontAtlas* fonts = ImGui::GetIO().Fonts;
    return fonts->Fonts.Size > 1 ? fonts->Fonts[1] : ImGui::GetFont();
}

double seconds(std::int64_t samples, float rate) {
    return rate > 0.0f ? static_cast<double>(samples) / static_cast<double>(rate) : 0.0;
}

}  // namespace ser::app::ui
