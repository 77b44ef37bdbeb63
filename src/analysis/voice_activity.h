#pragma once
// Decides whether an analysis window holds speech, so that silence and steady noise are
// shown as such instead of as an emotion. The decision uses only the window's own samples
// (no state carried between windows), so the live stream and an offline clip agree.
//
// Speech is loud enough and strongly modulated: syllables rise and fall by 10-30 dB several
// times a second, while fans, hum and hiss stay within a few dB of their own level. Frame
// energy is measured about the frame's mean, so a DC offset neither hides speech (the
// quiet frames would sit at the offset's level) nor passes for it.

#include <span>
#include <string>
#include <vector>

namespace ser {

struct VoiceActivityConfig {
    float frame_s = 0.02f;           // energy frames (non-overlapping)
    // The loud frames (90th percentile) must reach this. Low: the features ignore level, and
    // quiet studio takes (RAVDESS calm, peaks near -37 dBFS) sit near -52 dBFS here; at -50,
    // 33 of its 1440 clips had "no speech". Steady noise is kept out by the modulation test.
    float threshold_dbfs = -60.0f;
    float min_modulation_db = 10.0f; // 90th minus 10th percentile of frame energy
    float min_speech_fraction = 0.1f;// share of frames at least 6 dB above the quiet ones
};

// What a window holds. Decided here only: every path (clips, uploads, the microphone) shows
// this verdict rather than deciding silence against noise again.
enum class Activity { silence, noise, speech };
const char* to_string(Activity activity);

struct VoiceActivity {
    float loud_dbfs = -100.0f;    // 90th percentile of frame energy
    float quiet_dbfs = -100.0f;   // 10th percentile: the window's noise floor
    float speech_fraction = 0.0f;
    bool is_speech = false;       // verdict == Activity::speech
    // Not speech: silence when the loud frames stay below the threshold, noise otherwise
    // (loud but steady, like a fan).
    Activity verdict = Activity::silence;
};

class VoiceActivityDetector {
public:
    VoiceActivityDetector(int sample_rate, VoiceActivityConfig config = {});

    // Allocates only when a window longer than any before arrives.
    VoiceActivity analyse(std::span<const float> window);

    const VoiceActivityConfig& config() const { return config_; }
    void set_threshold_dbfs(float threshold) { config_.threshold_dbfs = threshold; }

private:
    int sample_rate_;
    VoiceActivityConfig config_;
    std::vector<float> frame_db_;
    std::vector<float> sorted_;
};

// Why a recording cannot teach the model a voice (an adaptation clip, a calibration take):
// "" when the detector hears speech in some stretch of `window_s` (the analyser's window:
// a clip is speech where any of its windows is), else the reason and what to do, worded to
// follow "The take ..." or a file name. The page and `ser adapt` both ask here.
std::string why_not_speech(std::span<const float> samples, int sample_rate, double window_s = 2.0);

}  // namespace ser
