#include "app/views/ui.h"

#include <algorithm>
#include <cstdio>

#include "imgui.h"

#include "app/views/ui_common.h"
#include "app/wasm/page.h"
#include "ser/version.h"

namespace ser::app {

using namespace ui;

namespace {

// Below this canvas width (CSS pixels) the panels stack instead of standing side by side.
constexpr int two_columns_from_css_px = 980;

}  // namespace

const std::vector<LabelColour>& Ui::colours_for(const std::vector<std::string>& labels) {
    if (labels != coloured_labels_) {
        coloured_labels_ = labels;
        colours_ = label_colours(labels);
    }
    return colours_;
}

void Ui::draw(Session& s) {
    s.items.clear();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    // A page, not a floating window: no title, border or resizing; it scrolls when the canvas is short.
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                       ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("ser", nullptr, flags);
    draw_header(s);

    if (s.display.css_width >= two_columns_from_css_px &&
        ImGui::BeginTable("layout", 2, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        draw_live(s);
        draw_settings(s);
        ImGui::TableNextColumn();
        draw_calibration(s);
        draw_files(s);
        draw_model_card(s);
        draw_performance(s);
        ImGui::EndTable();
    } else {
        draw_live(s);
        draw_calibration(s);
        draw_settings(s);
        draw_files(s);
        draw_model_card(s);
        draw_performance(s);
    }

    if (!s.intake.last_error().empty()) {
        ImGui::Spacing();
        wrapped_colour_text(error_colour, s.intake.last_error().c_str());
    }
    ImGui::End();
}

void Ui::draw_header(Session& s) {
    ImGui::PushFont(large_font());
    ImGui::TextUnformatted("ser: speech emotion recognition");
    ImGui::PopFont();
    char version[96];
    std::snprintf(version, sizeof version, "%s (%s). Everything runs in this browser tab: no audio leaves this machine.",
                  ser::version, ser::source_revision);
    wrapped_colour_text(muted_colour, version);

    const ModelSlot& m = s.model;
    if (tracked_button(s.items, "Load model file...", "Load model")) page::open_model_picker();
    ImGui::SameLine();
    char line[512];
    switch (m.status()) {
        case ModelStatus::loading: wrapped_colour_text(muted_colour, "Model: loading the default model..."); break;
        case ModelStatus::missing:
            std::snprintf(line, sizeof line,
                          "No model loaded: %s The microphone and files still show their audio; load a model file "
                          "(written by `ser train`) to recognise emotions.",
                          m.missing_reason().c_str());
            wrapped_colour_text(warning_colour, line);
            break;
        case ModelStatus::ready:
            std::snprintf(line, sizeof line, "Model: %s, %zu labels, %zu parameters, selftest passed", m.name().c_str(),
                          m.card().labels.size(), m.card().parameters);
            wrapped_colour_text(good_colour, line);
            break;
    }
    if (!m.refusal().empty()) wrapped_colour_text(error_colour, m.refusal().c_str());
    draw_adapted_badge(s);
}

// An adapted model in use says so, with its way back and its file.
void Ui::draw_adapted_badge(Session& s) {
    const Model* model = s.model.model();
    if (!model || !model->adaptation) return;
    const ImVec4 badge(0.2f, 0.45f, 0.3f, 1.0f);
    ImGui::PushStyleColor(ImGuiCol_Button, badge);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, badge);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, badge);
    tracked_button(s.items, "Adapted to your voice", "adapted badge");
    ImGui::PopStyleColor(3);
    ImGui::SameLine();
    if (tracked_button(s.items, "Reset to the shipped model")) page::reset_model();
    ImGui::SameLine();
    if (tracked_button(s.items, "Download adapted model")) page::download_adapted_model();
    char line[160];
    std::snprintf(line, sizeof line, "from %s, on %d of your clips", model->adaptation->base_name.c_str(),
                  model->adaptation->clips());
    wrapped_colour_text(muted_colour, line);
}

void Ui::draw_stream(const InputMeter& stream, const char* meter_name, const char* waveform_name,
                     ItemRects& items) {
    const float line = ImGui::GetFrameHeight();
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    char level_text[48];
    std::snprintf(level_text, sizeof level_text, "%6.1f dBFS", static_cast<double>(stream.level_dbfs()));
    const float text_width = ImGui::CalcTextSize("-100.0 dBFS").x + ImGui::GetStyle().ItemSpacing.x;

    items.record(meter_name, level_meter(stream.level_dbfs(), ImVec2(std::max(1.0f, width - text_width), line * 0.8f)));
    ImGui::SameLine();
    ImGui::TextUnformatted(level_text);

    const std::size_t capacity = stream.recent_capacity();
    if (recent_.size() < capacity) recent_.resize(capacity);
    const std::size_t n = stream.copy_recent(recent_);
    const auto column_count = static_cast<std::size_t>(width);
    if (columns_.size() < column_count) columns_.resize(column_count);
    const std::span<Envelope> columns(columns_.data(), column_count);
    // The newest audio sits at the right edge; before the ring fills the left stays flat.
    const std::size_t filled = capacity > 0 ? column_count * n / capacity : 0;
    std::fill(columns.begin(), columns.end() - static_cast<std::ptrdiff_t>(filled), Envelope{});
    waveform_envelope(std::span<const float>(recent_.data(), n), columns.last(filled));
    items.record(waveform_name, waveform(columns, ImVec2(width, line * 2.5f)));

    if (stream.begun()) {
        ImGui::TextColored(muted_colour, "%.0f Hz, %lld samples received (%.2f s), peak %.3f",
                           static_cast<double>(stream.sample_rate()), static_cast<long long>(stream.samples_received()),
                           seconds(stream.samples_received(), stream.sample_rate()), static_cast<double>(stream.peak()));
    } else {
        ImGui::TextColored(muted_colour, "no audio received yet");
    }
}

}  // namespace ser::app
