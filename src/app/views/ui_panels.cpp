// The model card, the performance figures and the settings.

#include <emscripten/heap.h>

#include <algorithm>
#include <cstdio>

#include "imgui.h"

#include "app/views/ui.h"
#include "app/views/ui_common.h"

namespace ser::app {

using namespace ui;

namespace {

constexpr ImGuiTreeNodeFlags open_at_start = ImGuiTreeNodeFlags_DefaultOpen;

void key_value(const char* key, const char* value) {
    ImGui::TextColored(muted_colour, "%s:", key);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(value);
    ImGui::PopTextWrapPos();
}

// A small square of the label's colour before its name, flowing onto the next line as needed.
void label_chips(const std::vector<std::string>& labels, const std::vector<LabelColour>& colours) {
    const float square = ImGui::GetTextLineHeight() * 0.8f;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float need = square + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(labels[i].c_str()).x;
        if (i > 0) {
            ImGui::SameLine(0.0f, ImGui::GetFontSize());
            if (ImGui::GetCursorScreenPos().x + need > right) ImGui::NewLine();
        }
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float pad = (ImGui::GetTextLineHeight() - square) * 0.5f;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, at.y + pad), ImVec2(at.x + square, at.y + pad + square),
                                                  to_imgui(colours[i]));
        ImGui::Dummy(ImVec2(square, ImGui::GetTextLineHeight()));
        ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::TextUnformatted(labels[i].c_str());
    }
}

}  // namespace

void Ui::draw_model_card(Session& s) {
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Model card", open_at_start)) return;
    s.items.record("model card", last_item_rect());
    const Model* model = s.model.model();
    if (!model) {
        wrapped_colour_text(muted_colour, "No model loaded.");
        return;
    }
    const ModelCard& card = s.model.card();
    label_chips(card.labels, colours_for(card.labels));
    key_value("Listens to", card.input.c_str());
    char parameters[32];
    std::snprintf(parameters, sizeof parameters, "%zu", card.parameters);
    key_value("Parameters", parameters);
    if (!card.training_data.empty()) {
        std::string data;
        for (const std::string& line : card.training_data) data += (data.empty() ? "" : "; ") + line;
        key_value("Trained on", data.c_str());
    } else {
        key_value("Trained on", "not recorded in the model file");
    }
    if (!card.files_per_label.empty()) key_value("Files per label", card.files_per_label.c_str());
    key_value("Evaluation", card.protocol.empty() ? "none recorded in the model file" : card.protocol.c_str());
    for (const auto& [name, value] : card.metrics) key_value(name.c_str(), value.c_str());
    if (!card.caveat.empty()) wrapped_colour_text(warning_colour, card.caveat.c_str());
    if (!card.confusion.empty()) {
        ImGui::TextColored(muted_colour, "Confusion matrix (%% of each true label; rows true, columns predicted)");
        const float width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 30.0f);
        s.items.record("confusion matrix", confusion_heatmap(row_shares(card.confusion), card.confusion_labels, width));
    }
    std::string facts;
    for (const auto& [name, value] : card.facts) facts += (facts.empty() ? "" : ", ") + name + " " + value;
    if (!facts.empty()) wrapped_colour_text(muted_colour, facts.c_str());
}

void Ui::draw_performance(Session& s) {
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Performance", open_at_start)) return;
    s.items.record("performance", last_item_rect());
    char text[160];
    const LiveCost c = s.live ? s.live->cost() : LiveCost{};
    if (c.speech_hops > 0) {
        std::snprintf(text, sizeof text, "%.2f ms median, %.2f p95, %.2f max, %.2f last (%lld hops with speech)", c.median_ms,
                      c.p95_ms, c.max_ms, c.last_ms, static_cast<long long>(c.speech_hops));
        key_value("Features + inference per hop", text);
        std::snprintf(text, sizeof text, "%.2f ms features, %.2f ms inference (means)", c.feature_ms, c.inference_ms);
        key_value("Of which", text);
    } else {
        key_value("Features + inference per hop", "no speech analysed yet");
    }
    if (c.hops > 0) {
        std::snprintf(text, sizeof text, "%.4f (all microphone processing time / audio time)", c.real_time_factor);
        key_value("Live real-time factor", text);
    }
    const Clip* clip = s.clips.find(s.clips.selected());
    if (clip && clip->report && clip->report->seconds > 0.0) {
        const ClipReport& r = *clip->report;
        std::snprintf(text, sizeof text, "%.4f (%.0f ms for %.1f s of '%s')", r.analysis_ms / (1000.0 * r.seconds),
                      r.analysis_ms, r.seconds, clip->name.c_str());
        key_value("Upload real-time factor", text);
    }
    std::snprintf(text, sizeof text, "%.0f FPS, longest frame %.0f ms in the last second", s.frames.fps(),
                  s.frames.longest_frame_ms());
    key_value("Display", text);
    std::snprintf(text, sizeof text, "%.0f MB (interface module)",
                  static_cast<double>(emscripten_get_heap_size()) / (1024.0 * 1024.0));
    key_value("Memory", text);
}

void Ui::draw_settings(Session& s) {
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Settings", open_at_start)) return;
    wrapped_colour_text(muted_colour,
                        "For the live microphone. Uploads always use the model's own window and hop, as `ser predict` does.");
    const Model* model = s.model.model();
    const float model_window = model ? static_cast<float>(model->analysis.window_s) : 2.0f;
    const float model_hop = model ? static_cast<float>(model->analysis.hop_s) : 0.25f;
    if (!editing_started_) editing_ = s.controls;

    // The sliders show the values in use: the model's own where the setting is unset (0).
    float window = editing_.window_s > 0.0f ? editing_.window_s : model_window;
    float hop = editing_.hop_s > 0.0f ? editing_.hop_s : model_hop;
    const float slider_width = std::max(60.0f, ImGui::GetContentRegionAvail().x * 0.5f);
    ImGui::PushItemWidth(slider_width);
    // A slider's published place is its track (the item also covers its label).
    auto record_slider = [&](const char* name) {
        const Rect item = last_item_rect();
        s.items.record(name, {item.x, item.y, slider_width, item.height});
    };
    bool release = false;
    if (tracked_button(s.items, "Use the model's values", "Reset settings")) {
        editing_ = LiveControls{};
        release = true;
    }
    if (ImGui::SliderFloat("Window (s)", &window, SettingLimits::min_window_s, SettingLimits::max_window_s, "%.2f"))
        editing_.window_s = window;
    record_slider("window slider");
    release |= ImGui::IsItemDeactivatedAfterEdit();
    if (ImGui::SliderFloat("Hop (s)", &hop, SettingLimits::min_hop_s, SettingLimits::max_hop_s, "%.2f"))
        editing_.hop_s = hop;
    record_slider("hop slider");
    release |= ImGui::IsItemDeactivatedAfterEdit();
    bool live_change = ImGui::SliderFloat("Smoothing (s)", &editing_.smoothing_s, 0.0f, SettingLimits::max_smoothing_s, "%.2f");
    record_slider("smoothing slider");
    live_change |= ImGui::SliderFloat("Activity threshold (dBFS)", &editing_.threshold_dbfs, SettingLimits::min_threshold_dbfs,
                                      SettingLimits::max_threshold_dbfs, "%.0f");
    record_slider("threshold slider");
    ImGui::PopItemWidth();
    editing_started_ = ImGui::IsAnyItemActive() && !release;

    // Smoothing and the threshold apply while dragging; window and hop restart the analysis,
    // so they apply when the slider is let go.
    if (release || live_change) {
        LiveControls next = s.controls;
        next.smoothing_s = editing_.smoothing_s;
        next.threshold_dbfs = editing_.threshold_dbfs;
        if (release) {
            next.window_s = editing_.window_s;
            next.hop_s = std::min(editing_.hop_s, editing_.window_s > 0.0f ? editing_.window_s : model_window);
        }
        try {
            set_controls(s, next);
        } catch (const std::exception& e) {
            s.intake.report_error(std::string("settings: ") + e.what());
        }
    }
}

}  // namespace ser::app
