#pragma once
// Keeps the first minutes of a microphone session exactly as the module received them, so
// they can be saved as a WAV file and run through `ser predict --timeline`: the way to check
// (and to show a bug report) that the live results are the CLI's on the same audio.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ser::app {

class MicRecorder {
public:
    explicit MicRecorder(double max_seconds) : max_seconds_(max_seconds) {}

    // A new session at sample_rate: forgets the previous recording.
    void begin(float sample_rate);
    // Keeps samples until max_seconds are held; later ones are counted, not kept.
    void push(std::span<const float> samples);

    float sample_rate() const { return sample_rate_; }
    std::size_t samples() const { return samples_.size(); }
    bool truncated() const { return dropped_ > 0; }
    double max_seconds() const { return max_seconds_; }

    // The recording as a mono 32-bit float WAV file (exactly the samples received).
    std::vector<std::uint8_t> wav() const;

private:
    double max_seconds_;
    float sample_rate_ = 0.0f;
    std::size_t limit_ = 0;
    std::vector<float> samples_;
    std::int64_t dropped_ = 0;
};

// A mono IEEE-float WAV file (WAVE_FORMAT_IEEE_FLOAT, with the fact chunk it requires).
std::vector<std::uint8_t> float_wav(std::span<const float> samples, int sample_rate);

}  // namespace ser::app
