#include "app/state/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "analysis/voice_activity.h"

namespace ser::app {

const char* to_string(CalibrationPhase phase) {
    switch (phase) {
        case CalibrationPhase::collecting: return "collecting";
        case CalibrationPhase::waiting_for_mic: return "waiting_for_mic";
        case CalibrationPhase::recording: return "recording";
        case CalibrationPhase::adapting: return "adapting";
        case CalibrationPhase::adapted: return "adapted";
    }
    return "?";
}

namespace {

std::string describe(const CalibrationTake& take, const std::vector<std::string>& labels) {
    const std::string label = labels[static_cast<std::size_t>(take.label)];
    return take.prompt >= 0 ? "The take for \"" + label + "\"" : "The clip " + take.source + " (\"" + label + "\")";
}

// Why a take cannot be used, or "" when it can. Silence and noise are the voice-activity
// detector's own verdict over each 2 s stretch of the take (why_not_speech, which
// `ser adapt` asks too).
std::string refusal(const CalibrationTake& take) {
    const double seconds = take.sample_rate > 0.0f ? static_cast<double>(take.samples.size()) / take.sample_rate : 0.0;
    if (seconds < calibration_min_take_s) {
        char text[200];
        std::snprintf(text, sizeof text, "is too short (%.1f s): say the whole sentence, at least %.1f s", seconds,
                      calibration_min_take_s);
        return text;
    }
    return why_not_speech(take.samples, static_cast<int>(std::lround(take.sample_rate)));
}

}  // namespace

void Calibration::set_labels(const std::vector<std::string>& labels) {
    if (labels == labels_) return;
    labels_ = labels;
    prompts_.clear();
    for (int l = 0; l < static_cast<int>(labels.size()); ++l)
        for (int s = 0; s < calibration_sentence_count; ++s) prompts_.push_back({l, s});
    takes_.clear();
    current_ = 0;
    phase_ = CalibrationPhase::collecting;
    summary_.reset();
    message_.clear();
}

void Calibration::select_prompt(int index) {
    if (prompts_.empty()) return;
    current_ = std::clamp(index, 0, static_cast<int>(prompts_.size()) - 1);
}

const CalibrationTake* Calibration::take_for(int prompt) const {
    for (const CalibrationTake& t : takes_)
        if (t.prompt == prompt) return &t;
    return nullptr;
}

void Calibration::say(std::string message, bool error) {
    message_ = std::move(message);
    message_is_error_ = error;
}

void Calibration::arm() {
    if (prompts_.empty() || phase_ == CalibrationPhase::adapting || phase_ == CalibrationPhase::recording) return;
    phase_ = CalibrationPhase::waiting_for_mic;
    say("", false);
}

void Calibration::mic_running(float sample_rate) {
    if (phase_ != CalibrationPhase::waiting_for_mic) return;
    const CalibrationPrompt& p = prompts_[static_cast<std::size_t>(current_)];
    recording_ = {p.label, current_, "microphone", sample_rate, {}};
    recording_.samples.reserve(static_cast<std::size_t>(calibration_max_take_s * sample_rate));
    phase_ = CalibrationPhase::recording;
}

bool Calibration::push(std::span<const float> samples) {
    if (phase_ != CalibrationPhase::recording) return false;
    const auto limit = static_cast<std::size_t>(calibration_max_take_s * recording_.sample_rate);
    const std::size_t room = limit - std::min(limit, recording_.samples.size());
    recording_.samples.insert(recording_.samples.end(), samples.begin(),
                              samples.begin() + static_cast<std::ptrdiff_t>(std::min(room, samples.size())));
    if (recording_.samples.size() < limit) return false;
    stop_take();
    return true;
}

double Calibration::recording_seconds() const {
    if (phase_ != CalibrationPhase::recording || recording_.sample_rate <= 0.0f) return 0.0;
    return static_cast<double>(recording_.samples.size()) / recording_.sample_rate;
}

void Calibration::stop_take() {
    if (phase_ == CalibrationPhase::waiting_for_mic) phase_ = CalibrationPhase::collecting;
    if (phase_ != CalibrationPhase::recording) return;
    phase_ = CalibrationPhase::collecting;
    keep(std::move(recording_));
    recording_ = {};
}

void Calibration::mic_stopped(const std::string& why) {
    if (phase_ != CalibrationPhase::recording && phase_ != CalibrationPhase::waiting_for_mic) return;
    const bool lost = phase_ == CalibrationPhase::recording;
    phase_ = CalibrationPhase::collecting;
    recording_ = {};
    const std::size_t kept = takes_.size();
    say(std::string(lost ? "The microphone stopped during the take, which was discarded" : "The take could not start") +
            (why.empty() ? "." : ": " + why) + " Your " + std::to_string(kept) + " earlier take" + (kept == 1 ? " is" : "s are") +
            " kept; press Record to try again.",
        true);
}

void Calibration::add_upload(std::string name, int label, float sample_rate, std::vector<float> samples) {
    if (label < 0 || label >= static_cast<int>(labels_.size()))
        throw std::invalid_argument("an uploaded clip's label " + std::to_string(label) + " is not one of the model's");
    keep({label, -1, std::move(name), sample_rate, std::move(samples)});
}

void Calibration::keep(CalibrationTake take) {
    const std::string why = refusal(take);
    if (!why.empty()) {
        const std::size_t kept = takes_.size();
        say(describe(take, labels_) + " " + why + ". It was not kept; your " + std::to_string(kept) + " other take" +
                (kept == 1 ? " is" : "s are") + " unchanged.",
            true);
        return;
    }
    say(describe(take, labels_) + " was kept.", false);
    const bool answers_prompt = take.prompt >= 0;
    const auto same = std::find_if(takes_.begin(), takes_.end(), [&](const CalibrationTake& t) { return t.prompt >= 0 && t.prompt == take.prompt; });
    if (same != takes_.end()) *same = std::move(take);  // a redo
    else takes_.push_back(std::move(take));
    if (!answers_prompt) return;
    // On to the next prompt without a take.
    for (std::size_t step = 1; step <= prompts_.size(); ++step) {
        const int next = static_cast<int>((static_cast<std::size_t>(current_) + step) % prompts_.size());
        if (!take_for(next)) {
            current_ = next;
            break;
        }
    }
}

void Calibration::remove_take(std::size_t index) {
    if (index < takes_.size() && phase_ != CalibrationPhase::adapting)
        takes_.erase(takes_.begin() + static_cast<std::ptrdiff_t>(index));
}

void Calibration::adaptation_started() {
    phase_ = CalibrationPhase::adapting;
    progress_ = 0.0f;
    say("", false);
}

void Calibration::adaptation_progress(int done, int total) {
    if (phase_ == CalibrationPhase::adapting && total > 0) progress_ = static_cast<float>(done) / static_cast<float>(total);
}

void Calibration::adaptation_done(CalibrationSummary summary) {
    phase_ = CalibrationPhase::adapted;
    progress_ = 1.0f;
    summary_ = std::move(summary);
    if (summary_->better_or_equal) say("Adapted: the model now in use is adapted to your voice.", false);
    else
        say("The adapted model did worse than the shipped one on your own clips (leave-one-out), so the shipped "
            "model stays in use. Record more takes (two or more per emotion) and adapt again, or use it anyway.",
            true);
}

void Calibration::adaptation_refused(std::string message) {
    phase_ = CalibrationPhase::collecting;
    progress_ = 0.0f;
    const bool ends_sentence = !message.empty() && std::string(".!?").find(message.back()) != std::string::npos;
    say(message + (ends_sentence ? "" : ".") + " Your takes are kept.", true);
}

}  // namespace ser::app
