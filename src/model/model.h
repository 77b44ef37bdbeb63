#pragma once
// The model file: one self-describing JSON document with everything needed to turn audio
// into class probabilities (docs/MODEL_FORMAT.md is the contract). load_model() validates
// every field and runs the embedded selftest, so a model that would compute different
// numbers here than where it was exported is refused instead of giving wrong answers.

#include <cstdint>
#include <optional>
#include <utility>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_config.h"
#include "nn/network.h"

namespace ser {

class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr int model_format_version = 1;

struct Normalisation {             // applied to the model input before the network
    bool per_utterance = false;    // subtract each input's own per-channel time mean first
    // dB frame inputs only (0: off). Frames more than speech_range_db below the window's
    // loudest frame (pauses, digital silence, the room) are left out of the window and the
    // rest looped to fill it; values more than floor_db below the window's peak are raised
    // to it. Both are relative to the window itself, so neither the level of the speaker
    // nor silence around the speech changes what the network sees (model_input.h).
    double speech_range_db = 0.0;
    double floor_db = 0.0;
    // The leading input rows both read (mel_db's when other features follow it; 0: every
    // row). Not stored: derived from the feature config (frame_levels.h: level_rows).
    int level_rows = 0;
    std::vector<float> mean, std;  // per input channel, or per element when the input is one
};                                 // pooled step; both empty: no global normalisation

struct AnalysisWindow {            // how live and timeline use slice audio for this model
    double window_s = 2.0;
    double hop_s = 0.25;
    // A clip (not a live stream) is analysed as if framed by this much digital silence at
    // each end, so that windows also reach past its edges: views of the utterance's start and
    // end that a tightly cut clip otherwise never gives (docs/MODEL_EXPERIMENTS.md, "Windows
    // past a clip's edges"). 0 in files written before it existed; at most half a window, so that
    // every window holds some of the clip.
    double edge_s = 0.0;
};
// The silence added at each end of a clip, in samples at `sample_rate`: the one rounding
// that the analyser and training's scoring share.
std::int64_t edge_samples(double edge_s, int sample_rate);

// A linear chirp defined by parameters, so every platform synthesises the same samples.
struct SelftestSignal {
    double seconds = 2.0;
    double f0_hz = 150.0;
    double f1_hz = 3000.0;
    double amplitude = 0.3;
};
std::vector<float> synthesise(const SelftestSignal& s, int sample_rate);

// Enough of a feature matrix to catch a different computation without storing all of it.
struct FeatureDigest {
    int rows = 0, cols = 0;
    double mean = 0.0, std = 0.0;
    std::vector<float> probe;  // values at evenly spaced positions of the row-major matrix
};

struct Selftest {
    std::uint64_t network_seed = 1;      // the network alone: seeded uniform input in [-1, 1)
    std::vector<float> network_logits;
    SelftestSignal signal;               // the whole pipeline: chirp -> features -> logits
    FeatureDigest features;
    std::vector<float> pipeline_logits;
};

// Present when the model was adapted to one speaker (src/model/adapt.h): what it started
// from, on which clips, what changed, and how it measured on those clips.
struct Adaptation {
    std::string base_name;      // the base model's file name (or what the caller called it)
    std::string base_checksum;  // "fnv1a64:..." of the base model's weights and normalisation
    std::string method;         // as AdaptOptions::method
    std::vector<std::string> changed;  // layer names, and "normalisation" when the input statistics changed
    std::vector<std::pair<std::string, int>> clips_per_label;  // labels of the model, each >= 1 clip
    double base_uar = 0.0, adapted_uar = 0.0;  // leave-one-out on the clips, over their labels
    double strength = 1.0;      // how far from the base toward the fit (model/adapt.h: at_strength)
    int clips() const;
};

struct Model {
    std::vector<std::string> labels;
    FeatureConfig features;
    Normalisation normalisation;
    AnalysisWindow analysis;
    nn::Network network;
    nlohmann::json training = nlohmann::json::object();  // corpora, protocol, seed, metrics,
                                                         // confusion, date, revision, calibration
    Selftest selftest;
    std::optional<Adaptation> adaptation;
};

// Parses and validates a model file, then runs its selftest. Throws ModelError whose
// message names the field and what to do.
Model load_model(std::string_view json_text);
// As load_model, without running the selftest (for tools that inspect or repair files).
Model parse_model(std::string_view json_text);
// Computes the selftest, embeds it and returns the file text (weights as base64).
std::string save_model(const Model& model);
nlohmann::json model_to_json(const Model& model);

// FNV-1a of the weights and input normalisation: names a base model whatever its file layout.
std::string weights_checksum(const Model& model);

// Softmax temperature from training.calibration_temperature (1 when absent).
float calibration_temperature(const Model& model);

}  // namespace ser
