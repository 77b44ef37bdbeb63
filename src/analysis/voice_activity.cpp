#include "analysis/voice_activity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "audio/level_meter.h"

namespace ser {

namespace {

// The value below which `fraction` of the sorted values lie (nearest rank).
float percentile(const std::vector<float>& sorted, float fraction) {
    const auto last = static_cast<float>(sorted.size() - 1);
    return sorted[static_cast<std::size_t>(std::lround(fraction * last))];
}

}  // namespace

const char* to_string(Activity activity) {
    switch (activity) {
        case Activity::silence: return "silence";
        case Activity::noise: return "noise";
        case Activity::speech: return "speech";
    }
    return "?";
}

VoiceActivityDetector::VoiceActivityDetector(int sample_rate, VoiceActivityConfig config)
    : sample_rate_(sample_rate), config_(config) {
    if (sample_rate <= 0) throw std::invalid_argument("voice activity: the sample rate must be positive");
    if (!(config.frame_s > 0.0f)) throw std::invalid_argument("voice activity: frame_s must be positive");
}

VoiceActivity VoiceActivityDetector::analyse(std::span<const float> window) {
    const auto frame = std::max<std::size_t>(1, static_cast<std::size_t>(config_.frame_s * static_cast<float>(sample_rate_)));
    const std::size_t frames = window.size() / frame;
    VoiceActivity result;
    if (frames == 0) return result;

    frame_db_.resize(frames);
    for (std::size_t i = 0; i < frames; ++i) frame_db_[i] = ac_rms_dbfs(window.subspan(i * frame, frame));
    sorted_.assign(frame_db_.begin(), frame_db_.end());
    std::sort(sorted_.begin(), sorted_.end());

    result.loud_dbfs = percentile(sorted_, 0.9f);
    result.quiet_dbfs = percentile(sorted_, 0.1f);
    const float active_above = result.quiet_dbfs + 6.0f;
    const auto active = std::count_if(frame_db_.begin(), frame_db_.end(), [&](float db) { return db >= active_above; });
    result.speech_fraction = static_cast<float>(active) / static_cast<float>(frames);
    const bool loud = result.loud_dbfs >= config_.threshold_dbfs;
    result.is_speech = loud && result.loud_dbfs - result.quiet_dbfs >= config_.min_modulation_db &&
                       result.speech_fraction >= config_.min_speech_fraction;
    result.verdict = result.is_speech ? Activity::speech : loud ? Activity::noise : Activity::silence;
    return result;
}

std::string why_not_speech(std::span<const float> samples, int sample_rate, double window_s) {
    VoiceActivityDetector detector(sample_rate);
    const std::size_t window =
        std::min(samples.size(), static_cast<std::size_t>(std::lround(window_s * static_cast<double>(sample_rate))));
    const std::size_t hop = std::max<std::size_t>(1, window / 4);
    bool noise = false;
    float loudest = silence_floor_dbfs;
    for (std::size_t start = 0;; start += hop) {
        start = std::min(start, samples.size() - window);  // the last stretch ends with the samples
        const VoiceActivity v = detector.analyse(samples.subspan(start, window));
        if (v.verdict == Activity::speech) return "";
        noise = noise || v.verdict == Activity::noise;
        loudest = std::max(loudest, v.loud_dbfs);
        if (start + window >= samples.size()) break;
    }
    if (noise) return "held sound but no speech (a steady noise, not a voice): say the sentence aloud, in a quieter place";
    char text[200];
    std::snprintf(text, sizeof text,
                  "was silent (its loudest moments at %.0f dBFS): check that the microphone is not muted and speak "
                  "closer to it",
                  static_cast<double>(loudest));
    return text;
}

}  // namespace ser
