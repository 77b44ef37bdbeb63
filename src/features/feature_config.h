#pragma once
// Everything that decides the numbers a model sees, as plain data. A model file carries its
// FeatureConfig, so the browser computes exactly the features the model was trained on.
// The JSON schema and the presets are documented in docs/FEATURES.md.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ser {

enum class WindowKind { hann, hamming, rectangular };       // periodic, as scipy's fftbins=True
enum class PadMode { constant, edge, reflect };             // numpy.pad modes used by centring
enum class MelScale { slaney, htk };
enum class MelNorm { none, slaney };
enum class DbSpan { clip, frame };  // what the top_db floor is measured from: the whole input, or each frame
enum class ChromaInput { power, magnitude };
enum class Pooling { none, mean };

struct StftConfig {
    int n_fft = 2048;        // even
    int win_length = 2048;   // <= n_fft; the window is centred in the n_fft frame
    int hop_length = 512;    // shared by every feature, so their frames line up
    WindowKind window = WindowKind::hann;
    bool center = true;      // frame t centred on sample t * hop (input padded by n_fft / 2)
    PadMode pad_mode = PadMode::constant;
    bool operator==(const StftConfig&) const = default;
};

struct MelConfig {
    int n_mels = 128;
    double fmin = 0.0;
    std::optional<double> fmax;  // empty: sample_rate / 2
    MelScale scale = MelScale::slaney;
    MelNorm norm = MelNorm::slaney;
    double power = 2.0;          // exponent of |STFT| the filterbank is applied to
    bool operator==(const MelConfig&) const = default;
};

struct DbConfig {
    double ref = 1.0;
    double amin = 1e-10;
    std::optional<double> top_db = 80.0;  // empty: no floor
    DbSpan span = DbSpan::clip;
    bool operator==(const DbConfig&) const = default;
};

struct MfccConfig {
    int n_mfcc = 20;
    bool ortho = true;   // DCT-II norm: "ortho" or "none"
    double lifter = 0.0;
    bool operator==(const MfccConfig&) const = default;
};

struct DeltaConfig {
    int order = 0;   // 0: none; 1: <feature>_delta; 2: also <feature>_delta2
    int width = 9;   // odd, >= 3 (Savitzky-Golay window, edges as librosa's mode="interp")
    std::vector<std::string> of = {"mfcc"};
    bool operator==(const DeltaConfig&) const = default;
};

struct ChromaConfig {
    int n_chroma = 12;
    ChromaInput input = ChromaInput::power;
    std::optional<double> tuning;  // empty: estimated per input as librosa's estimate_tuning
    bool normalize = true;         // each frame divided by its maximum ("max") or not ("none")
    bool operator==(const ChromaConfig&) const = default;
};

struct ZcrConfig {
    int frame_length = 2048;
    bool center = true;
    PadMode pad_mode = PadMode::edge;
    double threshold = 1e-10;  // |x| <= threshold counts as zero (positive)
    bool operator==(const ZcrConfig&) const = default;
};

struct RmsConfig {
    int frame_length = 2048;
    bool center = true;
    PadMode pad_mode = PadMode::constant;
    bool operator==(const RmsConfig&) const = default;
};

// The pitch tracker (features/pitch.h): lags between sample_rate / fmax and sample_rate /
// fmin (at most half a frame), voiced where the normalised difference dips below threshold.
struct PitchConfig {
    double fmin = 80.0;
    double fmax = 400.0;
    double threshold = 0.2;
    bool operator==(const PitchConfig&) const = default;
};

// What FeatureExtractor::compute hands the model: these named features stacked in this
// order, frame by frame, or (pooling mean) their time means as one vector.
struct InputConfig {
    std::vector<std::string> features = {"mel_db"};
    Pooling pooling = Pooling::none;
    bool operator==(const InputConfig&) const = default;
};

struct FeatureConfig {
    int sample_rate = 22050;
    StftConfig stft;
    MelConfig mel;
    DbConfig db;
    MfccConfig mfcc;
    DeltaConfig deltas;
    ChromaConfig chroma;
    ZcrConfig zcr;
    RmsConfig rms;
    PitchConfig pitch;
    InputConfig input;
    bool operator==(const FeatureConfig&) const = default;
};

// The names compute_named() returns for `config`: the eight base features, then the deltas.
std::vector<std::string> feature_names(const FeatureConfig& config);

// Throws std::invalid_argument naming the key and the rule it breaks.
void validate(const FeatureConfig& config);

// Every field, explicitly: to_json(feature_config_from_json(j)) is a complete config.
nlohmann::json to_json(const FeatureConfig& config);

// Strict: an unknown key or a wrong type is an error naming the key. A missing key takes
// librosa's default, derived as librosa derives it (win_length = n_fft, hop_length =
// win_length / 4, zcr/rms frame_length = n_fft). The result is validated.
FeatureConfig feature_config_from_json(const nlohmann::json& json);

// "librosa": librosa 0.11's defaults (22050 Hz, n_fft 2048, hop 512, 128 mels, 20 MFCC).
// "default": speech at 16 kHz for live use; every frame depends only on its own samples.
// "recipe162": the popular utterance vector (time means of zcr, chroma of |STFT|, 20 MFCC,
// rms, 128 mel) with librosa's defaults. Throws std::invalid_argument for another name.
FeatureConfig feature_preset(std::string_view name);
std::vector<std::string> feature_preset_names();

}  // namespace ser
