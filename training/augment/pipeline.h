#pragma once
// A seeded random augmentation pipeline described by JSON:
//   {"steps": [
//     {"type": "pitch",   "probability": 0.3, "semitones": [-2, 2]},
//     {"type": "stretch", "probability": 0.3, "factor": [0.9, 1.1]},
//     {"type": "speed",   "probability": 0.5, "factor": [0.9, 1.1]},      (tempo and pitch)
//     {"type": "reverb",  "probability": 0.3, "rt60_s": [0.2, 0.8], "drr_db": [0, 10]},
//     {"type": "noise",   "probability": 0.5, "snr_db": [10, 30], "sources": ["white", "pink", "recording"]},
//     {"type": "gain",    "probability": 0.5, "db": [-6, 6]},
//     {"type": "shift",   "probability": 0.5, "seconds": [-0.1, 0.1], "mode": "circular"},
//     {"type": "pad",     "probability": 0.2, "seconds": [0, 1]},      (digital silence both sides)
//     {"type": "phone",   "probability": 0.2, "rate_hz": 8000},         (telephone band)
//     {"type": "opus",    "probability": 0.2, "kbps": [8, 24]}]}        (codec round trip)
// Steps run in the listed order; each runs with its probability and draws its amount
// uniformly from its [low, high] range (a single number means exactly that amount). It is
// applied after the split, to training clips only: the caller guarantees that.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/augment/gain_shift.h"

namespace ser {

struct AmountRange {
    double low = 0.0;
    double high = 0.0;
};

struct AugmentationStep {
    enum class Type { noise, gain, shift, stretch, pitch, speed, reverb, pad, phone, opus };
    Type type = Type::gain;
    double probability = 1.0;
    AmountRange amount;                // snr_db, db, seconds, factor, semitones, rt60_s, rate_hz or kbps by type
    AmountRange drr_db{0.0, 10.0};     // reverb only
    std::vector<std::string> sources;  // noise only: white, pink, brown, recording
    ShiftMode mode = ShiftMode::circular;  // shift only
};

struct AugmentationConfig {
    std::vector<AugmentationStep> steps;
};

// Strict: an unknown key, a missing amount, a range outside its limits or a wrong type is a
// std::invalid_argument naming the step and the key.
AugmentationConfig augmentation_config_from_json(const nlohmann::json& json);
nlohmann::json to_json(const AugmentationConfig& config);

// The seed of one clip's augmentation: the same (run seed, epoch, item) always gives the
// same audio, whichever thread gets there first.
std::uint64_t augmentation_seed(std::uint64_t run_seed, std::uint64_t epoch, std::uint64_t item);

class AugmentationPipeline {
public:
    // noise_recordings: decoded noise at sample_rate, used by noise steps listing
    // "recording" (one is picked at random, from a random offset, looped if short).
    AugmentationPipeline(AugmentationConfig config, int sample_rate, std::vector<std::vector<float>> noise_recordings = {});

    std::vector<float> apply(std::span<const float> pcm, std::uint64_t seed) const;

    const AugmentationConfig& config() const { return config_; }

private:
    AugmentationConfig config_;
    int sample_rate_;
    std::vector<std::vector<float>> noise_recordings_;
};

}  // namespace ser
