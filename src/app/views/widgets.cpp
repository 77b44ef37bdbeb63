#include "app/views/widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/state/spectrogram.h"
#include "nn/layers.h"

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

ImU32 to_imgui(LabelColour c, float alpha) {
    return IM_COL32(c.r, c.g, c.b, static_cast<int>(std::lround(std::clamp(alpha, 0.0f, 1.0f) * 255.0f)));
}

Rect probability_bars(const std::vector<std::string>& labels, std::span<const float> probabilities,
                      const std::vector<LabelColour>& colours, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    float name_width = 0.0f;
    for (const std::string& label : labels) name_width = std::max(name_width, ImGui::CalcTextSize(label.c_str()).x);
    const float value_width = ImGui::CalcTextSize("100.0%").x;
    const float line = ImGui::GetTextLineHeight();
    const float row = line + style.ItemSpacing.y * 0.5f;
    const ImVec2 size(width, row * static_cast<float>(labels.size()));
    ImVec2 min, max;
    const Rect rect = place_item(size, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_WindowBg));
    const float bar_x0 = min.x + name_width + style.ItemSpacing.x;
    const float bar_x1 = std::max(bar_x0 + 1.0f, max.x - value_width - style.ItemSpacing.x);
    const bool have = !probabilities.empty();
    const std::size_t top = nn::argmax(probabilities);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float y = min.y + row * static_cast<float>(i);
        const ImU32 text = have && i == top ? ImGui::GetColorU32(ImGuiCol_Text) : ImGui::GetColorU32(ImGuiCol_TextDisabled);
        draw->AddText(ImVec2(min.x, y), text, labels[i].c_str());
        const ImVec2 bar_min(bar_x0, y + line * 0.15f);
        const ImVec2 bar_max(bar_x1, y + line * 0.85f);
        draw->AddRectFilled(bar_min, bar_max, track_colour);
        if (!have) continue;
        const float p = std::clamp(probabilities[i], 0.0f, 1.0f);
        draw->AddRectFilled(bar_min, ImVec2(bar_x0 + (bar_x1 - bar_x0) * p, bar_max.y), to_imgui(colours[i], i == top ? 1.0f : 0.7f));
        char value[16];
        std::snprintf(value, sizeof value, "%5.1f%%", 100.0 * static_cast<double>(p));
        draw->AddText(ImVec2(bar_x1 + style.ItemSpacing.x, y), text, value);
    }
    return rect;
}

Rect timeline_plot(const TimelineData& d, ImVec2 size, PlotScratch& scratch) {
    ImVec2 min, max;
    const Rect rect = place_item(size, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (float level : {0.25f, 0.5f, 0.75f}) {
        const float y = max.y - level * size.y;
        draw->AddLine(ImVec2(min.x, y), ImVec2(max.x, y), level == 0.5f ? axis_colour : IM_COL32(60, 60, 66, 255));
    }
    const std::size_t points = d.times.size();
    const double span = d.t1 - d.t0;
    if (points == 0 || d.classes == 0 || !(span > 0.0) || !d.colours) return rect;

    // Points falling into the same column (two pixels wide) are averaged: a clip of any length
    // draws as at most width/2 segments per label.
    const auto columns = static_cast<std::size_t>(std::max(1.0f, size.x / 2.0f));
    scratch.sums.assign(columns * d.classes, 0.0f);
    scratch.counts.assign(columns, 0);
    scratch.silent.assign(columns, 0);
    // Each point stands for the stretch of time halfway to its neighbours: a point without
    // speech shades all of it, a point with speech adds its values to its own column.
    auto column_of = [&](double t) {
        const double where = std::clamp((t - d.t0) / span, 0.0, 1.0);
        return std::min(columns - 1, static_cast<std::size_t>(where * static_cast<double>(columns)));
    };
    for (std::size_t i = 0; i < points; ++i) {
        const double t = d.times[i];
        if (t < d.t0 || t > d.t1) continue;
        if (!d.speech[i]) {
            const double before = i > 0 ? d.times[i - 1] : (points > 1 ? 2.0 * t - d.times[1] : t);
            const double after = i + 1 < points ? d.times[i + 1] : (points > 1 ? 2.0 * t - d.times[i - 1] : t);
            for (std::size_t col = column_of(0.5 * (before + t)); col <= column_of(0.5 * (t + after)); ++col)
                scratch.silent[col] = 1;
            continue;
        }
        const std::size_t col = column_of(t);
        ++scratch.counts[col];
        for (std::size_t c = 0; c < d.classes; ++c) scratch.sums[col * d.classes + c] += d.values[i * d.classes + c];
    }
    const float column_width = size.x / static_cast<float>(columns);
    for (std::size_t col = 0; col < columns; ++col) {
        if (scratch.silent[col] && scratch.counts[col] == 0) {
            const float x = min.x + column_width * static_cast<float>(col);
            draw->AddRectFilled(ImVec2(x, min.y), ImVec2(x + column_width, max.y), IM_COL32(70, 70, 78, 255));
        }
    }
    for (std::size_t c = 0; c < d.classes; ++c) {
        const ImU32 colour = to_imgui((*d.colours)[c]);
        auto flush = [&] {
            if (scratch.line.size() == 1) draw->AddCircleFilled(scratch.line[0], 1.5f, colour);
            else if (scratch.line.size() > 1) draw->AddPolyline(scratch.line.data(), static_cast<int>(scratch.line.size()), colour, 0, 1.5f);
            scratch.line.clear();
        };
        for (std::size_t col = 0; col < columns; ++col) {
            if (scratch.counts[col] == 0) {
                if (scratch.silent[col]) flush();  // speech paused: the line breaks
                continue;
            }
            const float p = scratch.sums[col * d.classes + c] / static_cast<float>(scratch.counts[col]);
            // Inset by the line's width, so that 0 and 1 are drawn inside the plot too.
            scratch.line.push_back(ImVec2(min.x + column_width * (static_cast<float>(col) + 0.5f),
                                          max.y - 1.5f - std::clamp(p, 0.0f, 1.0f) * (size.y - 3.0f)));
        }
        flush();
    }
    return rect;
}

Rect confusion_heatmap(const std::vector<std::vector<double>>& shares, const std::vector<std::string>& labels,
                       float width) {
    const std::size_t n = labels.size();
    const ImGuiStyle& style = ImGui::GetStyle();
    float name_width = 0.0f;
    for (const std::string& label : labels) name_width = std::max(name_width, ImGui::CalcTextSize(label.c_str()).x);
    name_width += style.ItemSpacing.x;
    const float line = ImGui::GetTextLineHeight();
    const float cell = std::clamp((width - name_width) / static_cast<float>(std::max<std::size_t>(n, 1)), line, line * 3.0f);
    const ImVec2 size(name_width + cell * static_cast<float>(n), line + style.ItemSpacing.y + cell * static_cast<float>(n));
    ImVec2 min, max;
    const Rect rect = place_item(size, min, max);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_WindowBg));
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const float grid_y = min.y + line + style.ItemSpacing.y;
    for (std::size_t p = 0; p < n; ++p) {
        // Column heads: the first three letters, centred over the cell.
        const std::string head = labels[p].substr(0, 3);
        const float w = ImGui::CalcTextSize(head.c_str()).x;
        draw->AddText(ImVec2(min.x + name_width + cell * (static_cast<float>(p) + 0.5f) - w * 0.5f, min.y), text, head.c_str());
    }
    const bool room_for_numbers = cell >= ImGui::CalcTextSize("100").x + 4.0f;
    for (std::size_t t = 0; t < n; ++t) {
        const float y = grid_y + cell * static_cast<float>(t);
        draw->AddText(ImVec2(min.x, y + (cell - line) * 0.5f), text, labels[t].c_str());
        for (std::size_t p = 0; p < n; ++p) {
            const float share = static_cast<float>(shares[t][p]);
            const Rgba c = heat_colour(share);
            const ImVec2 a(min.x + name_width + cell * static_cast<float>(p), y);
            const ImVec2 b(a.x + cell - 1.0f, y + cell - 1.0f);
            draw->AddRectFilled(a, b, IM_COL32(c.r, c.g, c.b, 255));
            if (!room_for_numbers) continue;
            char value[8];
            std::snprintf(value, sizeof value, "%.0f", 100.0 * static_cast<double>(share));
            const ImVec2 ts = ImGui::CalcTextSize(value);
            // Dark digits on the bright end of the scale, light ones on the dark end.
            const ImU32 ink = share > 0.6f ? IM_COL32(20, 20, 24, 255) : IM_COL32(235, 235, 240, 255);
            draw->AddText(ImVec2(a.x + (cell - ts.x) * 0.5f, a.y + (cell - ts.y) * 0.5f), ink, value);
        }
    }
    return rect;
}

}  // namespace ser::app
