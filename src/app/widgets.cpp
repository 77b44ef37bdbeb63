#include "app/widgets.h"

#include <algorithm>

namespace ser::app {

namespace {

constexpr ImU32 track_colour = IM_COL32(38, 38, 42, 255);
constexpr ImU32 meter_green = IM_COL32(46, 204, 113, 255);
constexpr ImU32 meter_amber = IM_COL32(241, 196, 15, 255);
constexpr ImU32 meter_red = IM_COL32(231, 76, 60, 255);
constexpr ImU32 wave_colour = IM_COL32(93, 173, 226, 255);
constexpr ImU32 axis_colour = IM_COL32(90, 90, 98, 255);

float fraction_of_scale(float dbfs) {
    return std::clamp((dbfs - meter_floor_dbfs) / -meter_floor_dbfs, 0.0f, 1.0f);
}

// Reserves the item and paints its track; returns its corners.
Rect place_item(ImVec2 size, ImVec2& min, ImVec2& max) {
    min = ImGui::GetCursorScreenPos();
    max = ImVec2(min.x + size.x, min.y + size.y);
    ImGui::Dummy(size);
    ImGui::GetWindowDrawList()->AddRectFilled(min, max, track_colour);
    return {min.x, min.y, size.x, size.y};
}

}  // namespace

Rect level_meter(float dbfs, ImVec2 size) {
    ImVec2 min, max;
    const Rect rect = place_item(size, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float width = size.x * fraction_of_scale(dbfs);
    // Each colour zone is drawn only as far as the level reaches, like a hardware meter.
    const struct {
        float from_db, to_db;
        ImU32 colour;
    } zones[] = {{meter_floor_dbfs, -12.0f, meter_green}, {-12.0f, -3.0f, meter_amber}, {-3.0f, 0.0f, meter_red}};
    for (const auto& z : zones) {
        const float x0 = min.x + size.x * fraction_of_scale(z.from_db);
        const float x1 = std::min(min.x + width, min.x + size.x * fraction_of_scale(z.to_db));
        if (x1 > x0) draw->AddRectFilled(ImVec2(x0, min.y), ImVec2(x1, max.y), z.colour);
    }
    return rect;
}

Rect waveform(std::span<const Envelope> columns, ImVec2 size) {
    ImVec2 min, max;
    const Rect rect = place_item(size, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float mid = (min.y + max.y) * 0.5f;
    const float half = size.y * 0.5f;
    draw->AddLine(ImVec2(min.x, mid), ImVec2(max.x, mid), axis_colour);
    if (columns.empty()) return rect;
    const float step = size.x / static_cast<float>(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const float x = min.x + (static_cast<float>(c) + 0.5f) * step;
        const float top = mid - std::clamp(columns[c].high, -1.0f, 1.0f) * half;
        const float bottom = mid - std::clamp(columns[c].low, -1.0f, 1.0f) * half;
        // At least one pixel tall, so near-silence still shows as a line.
        draw->AddLine(ImVec2(x, top), ImVec2(x, std::max(bottom, top + 1.0f)), wave_colour, std::max(1.0f, step));
    }
    return rect;
}

}  // namespace ser::app
