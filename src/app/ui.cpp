#include "app/ui.h"

#include <algorithm>
#include <cstdio>

#include "imgui.h"

#include "app/page.h"
#include "app/widgets.h"
#include "ser/version.h"

namespace ser::app {

namespace {

const ImVec4 error_colour(1.0f, 0.45f, 0.4f, 1.0f);
const ImVec4 muted_colour(0.65f, 0.65f, 0.7f, 1.0f);

Rect last_item_rect() {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 size = ImGui::GetItemRectSize();
    return {min.x, min.y, size.x, size.y};
}

// A button whose place is published under its label, so tests click the real thing.
bool tracked_button(ItemRects& items, const char* label) {
    const bool pressed = ImGui::Button(label);
    items.record(label, last_item_rect());
    return pressed;
}

// Wraps at the window's edge, also after SameLine: narrow (phone) canvases clip nothing.
void wrapped_colour_text(const ImVec4& colour, const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void section_heading(const char* title) {
    ImGui::Spacing();
    ImGui::TextUnformatted(title);
    ImGui::Separator();
}

double seconds(std::int64_t samples, float rate) {
    return rate > 0.0f ? static_cast<double>(samples) / static_cast<double>(rate) : 0.0;
}

}  // namespace

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
    ImGui::Text("ser: speech emotion recognition");
    ImGui::SameLine();
    char version[96];
    std::snprintf(version, sizeof version, "%s (%s)", ser::version, ser::source_revision);
    wrapped_colour_text(muted_colour, version);
    wrapped_colour_text(muted_colour, "Everything runs in this browser tab: no audio leaves this machine.");

    draw_microphone(s);
    draw_files(s);

    if (!s.intake.last_error().empty()) {
        ImGui::Spacing();
        wrapped_colour_text(error_colour, s.intake.last_error().c_str());
    }
    ImGui::End();
}

void Ui::draw_microphone(Session& s) {
    section_heading("Microphone");
    const AudioIntake& in = s.intake;
    switch (in.mic_state()) {
        case MicState::off:
        case MicState::failed:
            if (tracked_button(s.items, "Start microphone")) page::request_microphone(true);
            break;
        case MicState::starting:
        case MicState::running:
            if (tracked_button(s.items, "Stop microphone")) page::request_microphone(false);
            break;
        case MicState::stopping:
            ImGui::BeginDisabled();
            tracked_button(s.items, "Stopping...");
            ImGui::EndDisabled();
            break;
    }
    ImGui::SameLine();
    switch (in.mic_state()) {
        case MicState::off: ImGui::TextColored(muted_colour, "off"); break;
        case MicState::starting: ImGui::TextUnformatted("asking for the microphone..."); break;
        case MicState::running: ImGui::Text("listening at %.0f Hz", static_cast<double>(in.mic().sample_rate())); break;
        case MicState::stopping: ImGui::TextUnformatted("stopping..."); break;
        case MicState::failed: ImGui::TextColored(error_colour, "not available"); break;
    }
    if (in.mic_state() == MicState::failed) wrapped_colour_text(error_colour, in.mic_message().c_str());

    draw_stream(in.mic(), "mic level", "mic waveform", s.items);
}

void Ui::draw_files(Session& s) {
    section_heading("Audio files");
    if (tracked_button(s.items, "Open audio files")) page::open_file_picker();
    ImGui::SameLine();
    wrapped_colour_text(muted_colour, "or drop files anywhere on the page (WAV, FLAC, MP3, OGG)");

    const auto& clips = s.intake.clips();
    if (clips.empty()) return;
    constexpr ImGuiTableFlags table_flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("clips", 5, table_flags)) {
        ImGui::TableSetupColumn("File", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupColumn("Rate", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Samples", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("Length", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthStretch, 4.0f);
        ImGui::TableHeadersRow();
        // Newest first: the clip being worked on is the one people look for.
        for (auto it = clips.rbegin(); it != clips.rend(); ++it) {
            const Clip& c = *it;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.name.c_str());
            ImGui::TableNextColumn();
            if (c.sample_rate > 0.0f) ImGui::Text("%.0f Hz", static_cast<double>(c.sample_rate));
            ImGui::TableNextColumn();
            if (c.state == ClipState::feeding || c.state == ClipState::done) ImGui::Text("%lld", static_cast<long long>(c.received_samples));
            ImGui::TableNextColumn();
            if (c.sample_rate > 0.0f) ImGui::Text("%.2f s", seconds(c.expected_samples, c.sample_rate));
            ImGui::TableNextColumn();
            if (c.state == ClipState::failed) {
                wrapped_colour_text(error_colour, c.message.c_str());
            } else if (c.state == ClipState::feeding && c.expected_samples > 0) {
                char label[32];
                std::snprintf(label, sizeof label, "feeding %.0f%%",
                              100.0 * static_cast<double>(c.received_samples) / static_cast<double>(c.expected_samples));
                ImGui::ProgressBar(static_cast<float>(c.received_samples) / static_cast<float>(c.expected_samples),
                                   ImVec2(-1.0f, 0.0f), label);
            } else {
                ImGui::TextUnformatted(to_string(c.state));
                if (!c.message.empty()) {
                    ImGui::SameLine();
                    ImGui::TextColored(muted_colour, "(%s)", c.message.c_str());
                }
            }
        }
        ImGui::EndTable();
    }
    draw_stream(s.intake.clip_stream(), "clip level", "clip waveform", s.items);
}

void Ui::draw_stream(const StreamMonitor& stream, const char* meter_name, const char* waveform_name,
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
    items.record(waveform_name, waveform(columns, ImVec2(width, line * 3.0f)));

    if (stream.begun()) {
        ImGui::Text("%.0f Hz, %lld samples received (%.2f s), peak %.3f", static_cast<double>(stream.sample_rate()),
                    static_cast<long long>(stream.samples_received()),
                    seconds(stream.samples_received(), stream.sample_rate()), static_cast<double>(stream.peak()));
    } else {
        ImGui::TextColored(muted_colour, "no audio received yet");
    }
}

}  // namespace ser::app
