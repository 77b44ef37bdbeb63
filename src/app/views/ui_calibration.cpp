// "Calibrate to my voice": the prompt (emotion and sentence) with Record / Stop / Redo, the
// takes so far, uploads for the prompt's emotion, Adapt with its progress, and before/after
// on the person's own clips (leave-one-out, numbers and two small confusion pictures).

#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"

#include "app/views/ui.h"
#include "app/views/ui_common.h"
#include "app/wasm/page.h"

namespace ser::app {

using namespace ui;

namespace {

std::string takes_per_label(const Calibration& c) {
    std::string text;
    for (std::size_t l = 0; l < c.labels().size(); ++l) {
        const auto n = std::count_if(c.takes().begin(), c.takes().end(),
                                     [&](const CalibrationTake& t) { return t.label == static_cast<int>(l); });
        if (n > 0) text += (text.empty() ? "" : ", ") + c.labels()[l] + " " + std::to_string(n);
    }
    return text.empty() ? "none yet" : text;
}

}  // namespace

void Ui::draw_calibration(Session& s) {
    ImGui::Spacing();
    if (!ImGui::CollapsingHeader("Calibrate to my voice")) {
        s.items.record("Calibrate to my voice", last_item_rect());
        return;
    }
    s.items.record("Calibrate to my voice", last_item_rect());
    const Model* model = s.model.model();
    if (!model) {
        wrapped_colour_text(muted_colour, "Load a model first: calibration adapts the model in use.");
        return;
    }
    Calibration& c = s.calibration;
    c.set_labels(model->labels);
    wrapped_colour_text(muted_colour,
                        "Say each sentence in the emotion shown, two takes per emotion for as many emotions as you "
                        "like (at least two), then adapt. Your voice stays in this tab: the adaptation runs here.");
    const CalibrationPrompt& prompt = c.prompts()[static_cast<std::size_t>(c.current_prompt())];
    const std::string& label = c.labels()[static_cast<std::size_t>(prompt.label)];
    const auto& colours = colours_for(c.labels());
    ImGui::Text("Prompt %d of %zu:", c.current_prompt() + 1, c.prompts().size());
    ImGui::SameLine();
    ImGui::PushFont(large_font());
    ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(colours[static_cast<std::size_t>(prompt.label)]));
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Text("Say, sounding %s: \"%s\"", label.c_str(), calibration_sentences[prompt.sentence]);

    const bool busy = c.phase() == CalibrationPhase::adapting;
    const bool recording = c.phase() == CalibrationPhase::recording || c.phase() == CalibrationPhase::waiting_for_mic;
    ImGui::BeginDisabled(busy || recording);
    if (tracked_button(s.items, "< Previous", "Previous prompt")) c.select_prompt(c.current_prompt() - 1);
    ImGui::SameLine();
    if (tracked_button(s.items, "Next >", "Next prompt")) c.select_prompt(c.current_prompt() + 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(busy);
    if (recording) {
        char stop[48];
        std::snprintf(stop, sizeof stop, "Stop (%.1f s)###stop take", c.recording_seconds());
        if (tracked_button(s.items, stop, "Stop take")) c.stop_take();
    } else {
        const bool redo = c.take_for(c.current_prompt()) != nullptr;
        if (tracked_button(s.items, redo ? "Redo take###record take" : "Record take###record take", "Record take") &&
            calibration_record(s))
            page::request_microphone(true);
    }
    ImGui::SameLine();
    if (tracked_button(s.items, "Add clips of this emotion...", "Add calibration clips")) page::open_calibration_picker(prompt.label);
    ImGui::EndDisabled();
    if (c.phase() == CalibrationPhase::waiting_for_mic) ImGui::TextColored(muted_colour, "starting the microphone...");

    ImGui::Text("Takes: %zu (%s)", c.takes().size(), takes_per_label(c).c_str());
    ImGui::BeginDisabled(busy || recording || c.takes().empty());
    if (tracked_button(s.items, "Remove last take")) c.remove_take(c.takes().size() - 1);
    ImGui::SameLine();
    if (tracked_button(s.items, "Adapt to my voice")) page::calibration_adapt();
    ImGui::EndDisabled();
    if (busy) {
        ImGui::ProgressBar(c.progress(), ImVec2(-1.0f, 0.0f));
        s.items.record("calibration progress", last_item_rect());
    }
    if (!c.message().empty()) wrapped_colour_text(c.message_is_error() ? error_colour : good_colour, c.message().c_str());
    draw_calibration_result(s);
}

void Ui::draw_calibration_result(Session& s) {
    const Calibration& c = s.calibration;
    if (!c.summary()) return;
    const CalibrationSummary& r = *c.summary();
    std::vector<std::string> covered;
    const auto before = calibration_confusion(r, false, covered);
    const auto after = calibration_confusion(r, true, covered);
    char line[200];
    std::snprintf(line, sizeof line, "On your %zu clips (each predicted by a model adapted without it), UAR over their %zu emotions:",
                  r.clip_labels.size(), covered.size());
    wrapped_colour_text(ImGui::GetStyleColorVec4(ImGuiCol_Text), line);
    ImGui::TextColored(r.better_or_equal ? good_colour : warning_colour, "shipped %.2f  ->  adapted %.2f (%.1f s to adapt)",
                       r.base_uar, r.adapted_uar, r.seconds);
    // The guard judges by how likely each model found your labels: finer than a UAR over a dozen clips.
    ImGui::TextColored(muted_colour, "mean log-likelihood of your labels: shipped %.2f  ->  adapted %.2f%s", r.base_log_likelihood,
                       r.adapted_log_likelihood, r.better_or_equal ? "" : " (worse at every strength: the shipped model stays)");
    if (r.better_or_equal && r.strength < 1.0)
        ImGui::TextColored(muted_colour, "used at %.0f %% strength: the strongest that did no worse on your clips than the shipped model",
                           100.0 * r.strength);
    for (const std::string& w : r.warnings) wrapped_colour_text(warning_colour, w.c_str());
    const float width = std::min(ImGui::GetContentRegionAvail().x * 0.48f, ImGui::GetFontSize() * 16.0f);
    ImGui::BeginGroup();
    ImGui::TextColored(muted_colour, "Before");
    s.items.record("calibration before", confusion_heatmap(before, covered, width));
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextColored(muted_colour, "After");
    s.items.record("calibration after", confusion_heatmap(after, covered, width));
    ImGui::EndGroup();
    const Model* model = s.model.model();
    if (!r.better_or_equal && model && !model->adaptation && tracked_button(s.items, "Use the adapted model anyway"))
        page::use_adapted_model();
}

}  // namespace ser::app
