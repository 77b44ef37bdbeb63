// The uploads panel: the queue with progress and cancel, and the selected clip's results.

#include <algorithm>
#include <cstdio>

#include "imgui.h"

#include "app/views/ui.h"
#include "app/views/ui_common.h"
#include "app/wasm/page.h"

namespace ser::app {

using namespace ui;

namespace {

std::string duration_text(double seconds) {
    char text[32];
    if (seconds <= 0.0) return "?";
    if (seconds < 60.0) std::snprintf(text, sizeof text, "%.2f s", seconds);
    else std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds / 60.0), static_cast<int>(seconds) % 60);
    return text;
}

}  // namespace

void Ui::draw_files(Session& s) {
    section_heading("Audio files");
    if (tracked_button(s.items, "Open audio files")) page::open_file_picker();
    ImGui::SameLine();
    wrapped_colour_text(muted_colour, "or drop files anywhere on the page (WAV, FLAC, MP3, OGG; any length)");
    if (s.clips.clips().empty()) return;
    draw_clip_table(s);
    draw_selected_clip(s);
}

void Ui::draw_clip_table(Session& s) {
    constexpr ImGuiTableFlags table_flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("clips", 5, table_flags)) return;
    ImGui::TableSetupColumn("File", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("Audio", ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn("Length", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn("Result", ImGuiTableColumnFlags_WidthStretch, 3.5f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("Cancel").x + 2.0f * ImGui::GetStyle().FramePadding.x);
    ImGui::TableHeadersRow();
    const auto& clips = s.clips.clips();
    // Newest first: the clip being worked on is the one people look for.
    for (auto it = clips.rbegin(); it != clips.rend(); ++it) {
        const Clip& c = *it;
        ImGui::PushID(c.id);
        ImGui::TableNextRow();
        if (c.id == s.clips.selected()) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, IM_COL32(45, 60, 85, 255));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.name.c_str());
        ImGui::TableNextColumn();
        if (c.sample_rate > 0.0f) ImGui::Text("%s %.0f Hz", c.format.c_str(), static_cast<double>(c.sample_rate));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(duration_text(c.report ? c.report->seconds : c.duration_s).c_str());
        ImGui::TableNextColumn();
        switch (c.state) {
            case ClipState::queued: ImGui::TextColored(muted_colour, "queued"); break;
            case ClipState::analysing: {
                char label[64];
                std::snprintf(label, sizeof label, "%.0f%% (%s)", 100.0 * static_cast<double>(c.fraction),
                              duration_text(c.done_s).c_str());
                ImGui::ProgressBar(c.fraction, ImVec2(-1.0f, 0.0f), label);
                s.items.record("clip progress", last_item_rect());
                break;
            }
            case ClipState::done: {
                const ClipReport& r = *c.report;
                const auto label = static_cast<std::size_t>(r.label);
                const LabelColour colour = colours_for(r.labels)[label];
                ImGui::TextColored(ImVec4(colour.r / 255.0f, colour.g / 255.0f, colour.b / 255.0f, 1.0f), "%s %.0f%%",
                                   r.labels[label].c_str(), 100.0 * static_cast<double>(r.probabilities[label]));
                if (!r.exact) {
                    ImGui::SameLine();
                    ImGui::TextColored(warning_colour, "(approx.)");
                }
                break;
            }
            case ClipState::failed: wrapped_colour_text(error_colour, c.message.c_str()); break;
            case ClipState::cancelled: ImGui::TextColored(muted_colour, "cancelled"); break;
        }
        ImGui::TableNextColumn();
        if (c.state == ClipState::queued || c.state == ClipState::analysing) {
            if (tracked_button(s.items, "Cancel", c.state == ClipState::analysing ? "Cancel analysis" : "Cancel queued"))
                page::cancel_clip(c.id);
        } else if (c.state == ClipState::done && c.id != s.clips.selected()) {
            if (ImGui::SmallButton("Show")) s.clips.select(c.id);
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

void Ui::draw_selected_clip(Session& s) {
    const Clip* c = s.clips.find(s.clips.selected());
    if (!c || !c->report) return;
    const ClipReport& r = *c->report;
    const std::vector<LabelColour>& colours = colours_for(r.labels);
    const auto top = static_cast<std::size_t>(r.label);

    ImGui::Spacing();
    ImGui::TextColored(muted_colour, "%s:", c->name.c_str());
    ImGui::SameLine();
    ImGui::PushFont(large_font());
    const LabelColour lc = colours[top];
    ImGui::TextColored(ImVec4(lc.r / 255.0f, lc.g / 255.0f, lc.b / 255.0f, 1.0f), "%s  %.0f%%", r.labels[top].c_str(),
                       100.0 * static_cast<double>(r.probabilities[top]));
    ImGui::PopFont();
    s.items.record("clip label", last_item_rect());
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    s.items.record("clip probabilities", probability_bars(r.labels, r.probabilities, colours, width));

    ImGui::TextColored(muted_colour, "Timeline: %zu windows over %s (shaded: no speech)", r.windows(),
                       duration_text(r.seconds).c_str());
    times_.clear();
    for (std::size_t w = 0; w < r.windows(); ++w) times_.push_back(0.5 * (r.start_s[w] + r.end_s[w]));
    TimelineData data;
    data.t0 = 0.0;
    data.t1 = std::max(r.seconds, 1e-3);
    data.times = times_;
    data.speech = r.speech;
    data.values = r.window_probabilities;
    data.classes = r.labels.size();
    data.colours = &colours;
    s.items.record("clip timeline", timeline_plot(data, ImVec2(width, ImGui::GetFrameHeight() * 4.0f), plot_));
    if (!r.note.empty()) wrapped_colour_text(warning_colour, r.note.c_str());

    if (tracked_button(s.items, "Download CSV")) page::download_clip(c->id, "csv");
    ImGui::SameLine();
    if (tracked_button(s.items, "Download JSON")) page::download_clip(c->id, "json");
    ImGui::SameLine();
    const double rtf = r.seconds > 0.0 ? r.analysis_ms / (1000.0 * r.seconds) : 0.0;
    ImGui::TextColored(muted_colour, "decoded and analysed in %.0f ms (%.3f x real time)", r.analysis_ms, rtf);
}

}  // namespace ser::app
