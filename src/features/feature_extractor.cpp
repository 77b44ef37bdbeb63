#include "features/feature_extractor.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "audio/pcm_checks.h"
#include "features/chroma.h"
#include "features/decibels.h"
#include "features/deltas.h"
#include "features/pitch.h"
#include "features/time_features.h"

namespace ser {

struct FeatureExtractor::Plan {
    struct Delta {
        std::string name;
        std::string base;
        int order = 1;
    };
    bool spectrum = false;
    bool mel_power = false;
    bool mel_db = false;
    bool mfcc = false;
    bool chroma = false;
    bool zcr = false;
    bool rms = false;
    bool pitch = false;  // pitch and periodicity, found together
    std::vector<Delta> deltas;
};

struct FeatureExtractor::Workspace {
    Stft::Scratch stft;
    Matrix power;          // |X|^2
    Matrix mel_input;      // |X|^mel.power when that is not 2
    Matrix chroma_input;   // |X| when chroma reads magnitudes
    std::vector<float> tuning_input;  // librosa's float32 spectrum, for estimate_tuning
    TuningScratch tuning;
    Matrix chroma_filterbank;
    double chroma_filterbank_tuning = std::numeric_limits<double>::quiet_NaN();
    std::vector<float> frame;
    std::vector<int> crossings;
    PitchScratch pitch_scratch;
    Matrix mel_power, mel_db, mfcc, chroma, zcr, rms, pitch, periodicity;
    std::map<std::string, Matrix> deltas;
};

namespace {

// |X|^exponent from |X|^2, without a copy in the common power case.
const Matrix& spectrum_power(const Matrix& power, double exponent, Matrix& scratch) {
    if (exponent == 2.0) return power;
    scratch.resize(power.rows, power.cols);
    for (std::size_t i = 0; i < power.values.size(); ++i)
        scratch.values[i] = exponent == 1.0 ? std::sqrt(power.values[i]) : std::pow(power.values[i], exponent / 2.0);
    return scratch;
}

void to_feature_matrix(const Matrix& m, FeatureMatrix& out) {
    out.rows = m.rows;
    out.cols = m.cols;
    out.values.resize(m.values.size());
    for (std::size_t i = 0; i < m.values.size(); ++i) out.values[i] = static_cast<float>(m.values[i]);
}

}  // namespace

FeatureExtractor::FeatureExtractor(const FeatureConfig& config)
    : config_((validate(config), config)),
      stft_(config.stft),
      mel_(config.mel, config.sample_rate, config.stft.n_fft),
      mfcc_(config.mfcc, config.mel.n_mels),
      workspace_(std::make_unique<Workspace>()) {
    all_features_ = std::make_unique<Plan>(make_plan(feature_names(config_)));
    input_features_ = std::make_unique<Plan>(make_plan(config_.input.features));
    for (const auto& name : config_.input.features) channels_ += rows_of(name);
}

FeatureExtractor::~FeatureExtractor() = default;
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;

int FeatureExtractor::rows_of(std::string_view name) const {
    std::string base(name);
    for (const char* suffix : {"_delta2", "_delta"}) {
        const std::string s(suffix);
        if (base.size() > s.size() && base.compare(base.size() - s.size(), s.size(), s) == 0) {
            base.resize(base.size() - s.size());
            break;
        }
    }
    if (base == "mel_power" || base == "mel_db") return config_.mel.n_mels;
    if (base == "mfcc") return config_.mfcc.n_mfcc;
    if (base == "chroma") return config_.chroma.n_chroma;
    if (base == "zcr" || base == "rms" || base == "pitch" || base == "periodicity") return 1;
    throw std::invalid_argument("no feature named \"" + std::string(name) + "\"");
}

FeatureExtractor::Plan FeatureExtractor::make_plan(const std::vector<std::string>& features) const {
    Plan plan;
    auto need = [&plan](const std::string& base) {
        if (base == "mel_power") plan.mel_power = true;
        if (base == "mel_db") plan.mel_power = plan.mel_db = true;
        if (base == "mfcc") plan.mel_power = plan.mel_db = plan.mfcc = true;
        if (base == "chroma") plan.chroma = true;
        if (base == "zcr") plan.zcr = true;
        if (base == "rms") plan.rms = true;
        if (base == "pitch" || base == "periodicity") plan.pitch = true;
    };
    for (const auto& name : features) {
        bool is_delta = false;
        for (int order = 1; order <= config_.deltas.order; ++order) {
            for (const auto& base : config_.deltas.of) {
                if (name == base + (order == 1 ? "_delta" : "_delta2")) {
                    need(base);
                    plan.deltas.push_back({name, base, order});
                    is_delta = true;
                }
            }
        }
        if (!is_delta) need(name);
    }
    plan.spectrum = plan.mel_power || plan.chroma;
    return plan;
}

const Matrix& FeatureExtractor::named(const Workspace& ws, const std::string& name) const {
    if (name == "mel_power") return ws.mel_power;
    if (name == "mel_db") return ws.mel_db;
    if (name == "mfcc") return ws.mfcc;
    if (name == "chroma") return ws.chroma;
    if (name == "zcr") return ws.zcr;
    if (name == "rms") return ws.rms;
    if (name == "pitch") return ws.pitch;
    if (name == "periodicity") return ws.periodicity;
    return ws.deltas.at(name);
}

void FeatureExtractor::run(std::span<const float> pcm, const Plan& plan, Workspace& ws) const {
    require_usable_pcm(pcm, "feature input");
    const FeatureConfig& c = config_;
    const int frames = frames_for(pcm.size());
    const bool estimate_tuning_here = plan.chroma && !c.chroma.tuning;

    if (plan.spectrum) stft_.power(pcm, ws.power, estimate_tuning_here ? &ws.tuning_input : nullptr, ws.stft);
    if (plan.mel_power) mel_.apply(spectrum_power(ws.power, c.mel.power, ws.mel_input), ws.mel_power);
    if (plan.mel_db) power_to_db(ws.mel_power, c.db, ws.mel_db);
    if (plan.mfcc) mfcc_.apply(ws.mel_db, ws.mfcc);
    if (plan.chroma) {
        const bool magnitude = c.chroma.input == ChromaInput::magnitude;
        double tuning = c.chroma.tuning.value_or(0.0);
        if (estimate_tuning_here) {
            // librosa estimates on the very spectrum its chroma reads: |X| or |X|^2 in float32.
            if (!magnitude)
                for (float& v : ws.tuning_input) v = v * v;
            tuning = estimate_tuning(ws.tuning_input, stft_.n_bins(), frames, c.sample_rate, c.stft.n_fft,
                                     c.chroma.n_chroma, ws.tuning);
        }
        if (!(ws.chroma_filterbank_tuning == tuning)) {
            chroma_filterbank(c.sample_rate, c.stft.n_fft, c.chroma.n_chroma, tuning, ws.chroma_filterbank);
            ws.chroma_filterbank_tuning = tuning;
        }
        apply_chroma(ws.chroma_filterbank, spectrum_power(ws.power, magnitude ? 1.0 : 2.0, ws.chroma_input),
                     c.chroma.normalize, ws.chroma);
    }
    if (plan.zcr) zero_crossing_rate(pcm, c.zcr, c.stft.hop_length, frames, ws.frame, ws.crossings, ws.zcr);
    if (plan.rms) root_mean_square(pcm, c.rms, c.stft.hop_length, frames, ws.frame, ws.rms);
    if (plan.pitch) pitch_track(pcm, c, frames, ws.pitch_scratch, ws.pitch, ws.periodicity);
    for (const auto& d : plan.deltas) delta(named(ws, d.base), c.deltas.width, d.order, ws.deltas[d.name]);
}

std::map<std::string, FeatureMatrix> FeatureExtractor::compute_named(std::span<const float> pcm) const {
    Workspace ws;
    run(pcm, *all_features_, ws);
    std::map<std::string, FeatureMatrix> result;
    for (const auto& name : feature_names(config_)) to_feature_matrix(named(ws, name), result[name]);
    return result;
}

void FeatureExtractor::compute(std::span<const float> pcm, FeatureMatrix& out) {
    Workspace& ws = *workspace_;
    run(pcm, *input_features_, ws);
    const int frames = frames_for(pcm.size());
    const bool pooled = config_.input.pooling == Pooling::mean;
    if (pooled && frames == 0) {
        throw std::invalid_argument("cannot average features over time: " + std::to_string(pcm.size()) +
                                    " samples give no frame (need at least stft.n_fft = " +
                                    std::to_string(config_.stft.n_fft) + " samples without centring)");
    }
    out.rows = pooled ? 1 : channels_;
    out.cols = pooled ? channels_ : frames;
    out.values.resize(static_cast<std::size_t>(out.rows) * static_cast<std::size_t>(out.cols));
    std::size_t next = 0;  // pooled: next value; framed: next row's start
    for (const auto& name : config_.input.features) {
        const Matrix& m = named(ws, name);
        for (int r = 0; r < m.rows; ++r) {
            const double* row = m.row(r);
            if (pooled) {
                double sum = 0.0;
                for (int t = 0; t < frames; ++t) sum += row[t];
                out.values[next++] = static_cast<float>(sum / frames);
            } else {
                for (int t = 0; t < frames; ++t) out.values[next + static_cast<std::size_t>(t)] = static_cast<float>(row[t]);
                next += static_cast<std::size_t>(frames);
            }
        }
    }
}

}  // namespace ser
