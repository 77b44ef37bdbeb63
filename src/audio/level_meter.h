#pragma once
// Level of a stream as a meter shows it: RMS of each block in dBFS, with an instant attack
// and an exponential release so the bar is readable at 60 FPS.

#include <cstdint>
#include <span>

namespace ser {

inline constexpr float silence_floor_dbfs = -100.0f;

// RMS of `samples` in dB relative to full scale
// (RMS 1.0), floored at silence_floor_dbfs. An empty block is silence.
float rms_dbfs(std::span<const float> samples);

// The same of the samples about their own mean: a constant offset (the DC of a cheap
// microphone or of a badly converted file) carries no sound, so it must not look loud.
float ac_rms_dbfs(std::span<const float> samples);

class LevelMeter {
public:
    // release_db_per_s: how fast the displayed level falls after a loud block.
    explicit LevelMeter(float sample_rate, float release_db_per_s = 40.0f);

    void push(std::span<const float> samples);
    void reset();

    float block_dbfs() const { return block_dbfs_; }
    float meter_dbfs() const { return meter_dbfs_; }
    float peak() const { return peak_; }
    std::int64_t samples_seen() const { return samples_seen_; }

private:
    float sample_rate_;
    float release_db_per_s_;
    float block_dbfs_ = silence_floor_dbfs;
    float meter_dbfs_ = silence_floor_dbfs;
    float peak_ = 0.0f;
    std::int64_t samples_seen_ = 0;
};

}  // namespace ser
