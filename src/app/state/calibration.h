#pragma once
// "Calibrate to my voice": the takes a person records for the model's labels (or clips they
// upload and label), each checked as it comes in, and what the adaptation answered. Plain
// state: the page moves the audio and runs the adaptation (the core's adapt_model) in a
// worker; this keeps what the panel shows, and never loses a take a later problem meets.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/state/calibration_summary.h"

namespace ser::app {

// The sentences a person is asked to say (the two RAVDESS statements: neutral in content, so
// the voice alone carries the emotion).
inline constexpr const char* calibration_sentences[] = {"Kids are talking by the door.",
                                                        "Dogs are sitting by the door."};
inline constexpr int calibration_sentence_count = 2;
// A take stops by itself after this long; shorter than the minimum is refused.
inline constexpr double calibration_max_take_s = 6.0;
inline constexpr double calibration_min_take_s = 0.5;

struct CalibrationPrompt {
    int label = 0;     // index into the model's labels
    int sentence = 0;  // index into calibration_sentences
};

struct CalibrationTake {
    int label = 0;
    int prompt = -1;     // the prompt it answers; -1 for an uploaded clip
    std::string source;  // "microphone" or the uploaded file's name
    float sample_rate = 0.0f;
    std::vector<float> samples;
};

enum class CalibrationPhase { collecting, waiting_for_mic, recording, adapting, adapted };
const char* to_string(CalibrationPhase phase);

class Calibration {
public:
    // Prompts for these labels: each label with every sentence, label by label, so the first
    // takes already give two clips per label (what leave-one-out needs). Takes recorded for
    // other labels are dropped; the same labels again keep everything.
    void set_labels(const std::vector<std::string>& labels);
    const std::vector<std::string>& labels() const { return labels_; }
    const std::vector<CalibrationPrompt>& prompts() const { return prompts_; }
    int current_prompt() const { return current_; }
    void select_prompt(int index);
    // The take answering a prompt, or nullptr.
    const CalibrationTake* take_for(int prompt) const;

    // Record pressed: the take starts with the microphone's next block (the page starts the
    // microphone when it is off). Stop pressed, or the take reached its maximum: stop_take()
    // keeps it, replacing an earlier take of the same prompt (a redo), or refuses it with
    // the reason (too short, silent, no speech); the other takes stay either way.
    void arm();
    void mic_running(float sample_rate);
    // Returns true when the take is full and was stopped.
    bool push(std::span<const float> samples);
    void stop_take();
    // The microphone stopped or failed (why: its message) before or during a take.
    void mic_stopped(const std::string& why);
    // A clip the person uploaded for a label (the prompt's when they chose it), checked like a
    // take; the prompt stays where it is, since several clips may come for one emotion.
    void add_upload(std::string name, int label, float sample_rate, std::vector<float> samples);
    void remove_take(std::size_t index);

    const std::vector<CalibrationTake>& takes() const { return takes_; }
    CalibrationPhase phase() const { return phase_; }
    double recording_seconds() const;

    // The adaptation, as the page's worker reports it.
    void adaptation_started();
    void adaptation_progress(int done, int total);
    void adaptation_done(CalibrationSummary summary);
    void adaptation_refused(std::string message);
    float progress() const { return progress_; }
    const std::optional<CalibrationSummary>& summary() const { return summary_; }

    // What the panel says last: a refusal or a problem (error) or what happened (not).
    const std::string& message() const { return message_; }
    bool message_is_error() const { return message_is_error_; }

private:
    void keep(CalibrationTake take);
    void say(std::string message, bool error);

    std::vector<std::string> labels_;
    std::vector<CalibrationPrompt> prompts_;
    int current_ = 0;
    std::vector<CalibrationTake> takes_;
    CalibrationTake recording_;
    CalibrationPhase phase_ = CalibrationPhase::collecting;
    float progress_ = 0.0f;
    std::optional<CalibrationSummary> summary_;
    std::string message_;
    bool message_is_error_ = false;
};

}  // namespace ser::app
