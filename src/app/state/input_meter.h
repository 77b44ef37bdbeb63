#pragma once
// What the app knows about one incoming audio stream (the microphone, or the clip being
// fed): its rate, how many samples arrived, their level and their recent waveform. Buffers
// are sized once per sample rate, so pushing audio never allocates.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "audio/level_meter.h"
#include "audio/sample_ring.h"

namespace ser::app {

// The rates Web Audio accepts for an AudioContext or OfflineAudioContext.
inline constexpr float min_sample_rate = 3000.0f;
inline constexpr float max_sample_rate = 768000.0f;

// Throws std::invalid_argument unless rate is within [min_sample_rate, max_sample_rate].
void check_sample_rate(float rate);

class InputMeter {
public:
    // waveform_seconds: how much recent audio the waveform keeps.
    explicit InputMeter(float waveform_seconds);

    // Starts a new stream: counts and level restart; buffers are rebuilt only on a new rate.
    void begin(float sample_rate);
    // Throws std::invalid_argument (and keeps nothing of the block) when the stream has not
    // begun, the rate differs from the one it began with, or a sample is NaN or infinite.
    void push(std::span<const float> samples, float sample_rate);

    bool begun() const { return meter_.has_value(); }
    float sample_rate() const { return sample_rate_; }
    std::int64_t samples_received() const { return samples_received_; }
    float level_dbfs() const { return meter_ ? meter_->meter_dbfs() : silence_floor_dbfs; }
    float block_dbfs() const { return meter_ ? meter_->block_dbfs() : silence_floor_dbfs; }
    float peak() const { return meter_ ? meter_->peak() : 0.0f; }

    // Copies the most recent samples into the front of out, oldest first; returns how many
    // (fewer than out.size() while less audio than that has arrived).
    std::size_t copy_recent(std::span<float> out) const;
    // The most samples copy_recent can return at the current rate.
    std::size_t recent_capacity() const { return ring_ ? ring_->capacity() : 0; }

private:
    float waveform_seconds_;
    float sample_rate_ = 0.0f;
    std::int64_t samples_received_ = 0;
    std::optional<LevelMeter> meter_;
    std::optional<SampleRing> ring_;
};

}  // namespace ser::app
