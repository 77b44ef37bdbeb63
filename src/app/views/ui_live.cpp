// The live microphone panel: control, state, current emotion, timeline, level, waveform and
// spectrogram.

#include <algorithm>
#include <cstdio>

#include "imgui.h"

#include "app/views/ui.h"
#include "app/views/ui_common.h"
#include "app/wasm/page.h"
#include "nn/layers.h"

namespace ser::app {

using namespace ui;

namespace {

// How much of the live history the timeline shows.
constexpr double timeline_seconds = 30.0;

ImVec4 state_colour(LiveState state) {
    switch (state) {
        case LiveState::listening: return accent_colour;
        case LiveState::speech: return good_colour;
        case LiveState::silence: return muted_colour;
        case LiveState::noise: return warning_colour;
    }
    return muted_colour;
}

const char* state_text(LiveState state) {
    switch (state) {
        case LiveState::listening: return "Listening...";
        case LiveState::speech: return "Speech";
        case LiveState::silence: return "Silence";
        case LiveState::noise: return "Noise, no speech";
    }
    return "";
}

}  // namespace

void Ui::draw_live(Session& s) {
    section_heading("Live microphone");
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
        case MicState::running: ImGui::Text("on, at %.0f Hz", static_cast<double>(in.mic().sample_rate())); break;
        case MicState::stopping: ImGui::TextUnformatted("stopping..."); break;
        case MicState::failed: ImGui::TextColored(error_colour, "not available"); break;
    }
    if (in.mic_state() == MicState::failed) wrapped_colour_text(error_colour, in.mic_message().c_str());

    draw_live_result(s);

    ImGui::Spacing();
    ImGui::TextColored(muted_colour, "Level and waveform (last 3 s)");
    draw_stream(in.mic(), "mic level", "mic waveform", s.items);
    ImGui::TextColored(muted_colour, "Log-mel spectrogram (last %.0f s, 50 Hz to 8 kHz)", spectrogram_seconds);
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    s.items.record("spectrogram", spectrogram_.draw(s.spectrogram ? &*s.spectrogram : nullptr,
                                                    ImVec2(width, ImGui::GetFrameHeight() * 4.0f)));

    const MicRecorder& rec = in.recording();
    ImGui::BeginDisabled(rec.samples() == 0);
    if (tracked_button(s.items, "Save recording (WAV)", "Save recording")) page::save_mic_recording();
    ImGui::EndDisabled();
    ImGui::SameLine();
    char note[160];
    std::snprintf(note, sizeof note, "the first %.0f s of microphone audio the module received (for `ser predict --timeline`)%s",
                  rec.max_seconds(), rec.truncated() ? " (full)" : "");
    wrapped_colour_text(muted_colour, note);
}

void Ui::draw_live_result(Session& s) {
    const bool running = s.intake.mic_state() == MicState::running;
    const Model* model = s.model.model();
    if (!model) {
        wrapped_colour_text(muted_colour, "No model is loaded: the microphone shows its audio only.");
        return;
    }
    const std::vector<LabelColour>& colours = colours_for(model->labels);
    std::span<const float> current;
    if (!running || !s.live) {
        wrapped_colour_text(muted_colour, running ? "Starting the analysis..." : "Start the microphone to analyse speech.");
    } else {
        ImGui::PushFont(large_font());
        const LiveTimeline& live = *s.live;
        ImGui::TextColored(state_colour(live.state()), "%s", state_text(live.state()));
        s.items.record("live state", last_item_rect());
        current = live.current();
        if (!current.empty()) {
            const std::size_t top = nn::argmax(current);
            ImGui::SameLine(0.0f, ImGui::GetFontSize());
            const LabelColour c = colours[top];
            // Greyed while the speaker is silent: the last emotion heard, not a current one.
            const float alpha = live.state() == LiveState::speech ? 1.0f : 0.55f;
            ImGui::TextColored(ImVec4(c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, alpha), "%s  %.0f%%",
                               model->labels[top].c_str(), 100.0 * static_cast<double>(current[top]));
            s.items.record("current emotion", last_item_rect());
        }
        ImGui::PopFont();
    }
    if (running && s.live && s.live->results() == 0) {
        char wait[96];
        std::snprintf(wait, sizeof wait, "the first result comes after %.1f s of audio", LiveSettings{}.min_window_s);
        wrapped_colour_text(muted_colour, wait);
    }

    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    s.items.record("probability bars", probability_bars(model->labels, current, colours, width));

    // The timeline: smoothed probabilities of the last half minute, silence and noise shaded.
    ImGui::TextColored(muted_colour, "Timeline (last %.0f s; shaded: no speech)", timeline_seconds);
    TimelineData data;
    data.classes = model->labels.size();
    data.colours = &colours;
    times_.clear();
    speech_.clear();
    values_.clear();
    if (s.live && s.live->labels().size() == data.classes) {
        const LiveTimeline& live = *s.live;
        for (std::size_t i = 0; i < live.points(); ++i) {
            const LivePoint p = live.point(i);
            times_.push_back(p.end_s);
            const bool shown = p.speech && !p.smoothed.empty();
            speech_.push_back(shown ? 1 : 0);
            if (shown) values_.insert(values_.end(), p.smoothed.begin(), p.smoothed.end());
            else values_.insert(values_.end(), data.classes, 0.0f);
        }
        data.t1 = std::max(timeline_seconds, live.stream_seconds());
    } else {
        data.t1 = timeline_seconds;
    }
    data.t0 = data.t1 - timeline_seconds;
    data.times = times_;
    data.speech = speech_;
    data.values = values_;
    s.items.record("live timeline", timeline_plot(data, ImVec2(width, ImGui::GetFrameHeight() * 4.0f), plot_));
}

}  // namespace ser::app
