#pragma once
// Turns PCM at the config's sample rate into the features a FeatureConfig describes: every
// named feature (for inspection, the CLI and the golden tests) or the model's input.
//
// All arithmetic is double precision in a fixed order (no fused multiply-add, no reordered
// sums), so the native build and WebAssembly agree to the last few bits, and a frame
// computed alone (FeatureStream) equals the same frame computed in a batch.

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "features/feature_config.h"
#include "features/feature_matrix.h"
#include "features/matrix.h"
#include "features/mel.h"
#include "features/mfcc.h"
#include "features/stft.h"

namespace ser {

class FeatureExtractor {
public:
    // Validates the config (std::invalid_argument) and precomputes window, FFT plan and
    // filterbanks.
    explicit FeatureExtractor(const FeatureConfig& config);
    ~FeatureExtractor();
    FeatureExtractor(FeatureExtractor&&) noexcept;
    FeatureExtractor& operator=(FeatureExtractor&&) noexcept;

    const FeatureConfig& config() const { return config_; }

    // Every name of feature_names(config()), each [bins][frames]. Throws
    // std::invalid_argument on a non-finite sample, or when deltas need more frames.
    std::map<std::string, FeatureMatrix> compute_named(std::span<const float> pcm) const;

    // The model's input: config().input.features stacked as [channels()][frames], or their
    // time means as [1][channels()] when the input is pooled (a pooled input needs at least
    // one frame). Reuses its buffers: no allocation after the first call for a length.
    void compute(std::span<const float> pcm, FeatureMatrix& out);

    int channels() const { return channels_; }
    int frames_for(std::size_t n_samples) const { return stft_.frames_for(n_samples); }
    // Rows of one named feature (n_mels, n_mfcc, n_chroma, 1, ...).
    int rows_of(std::string_view name) const;

private:
    struct Plan;
    struct Workspace;

    Plan make_plan(const std::vector<std::string>& features) const;
    void run(std::span<const float> pcm, const Plan& plan, Workspace& ws) const;
    const Matrix& named(const Workspace& ws, const std::string& name) const;

    FeatureConfig config_;
    Stft stft_;
    MelFilterbank mel_;
    MfccTransform mfcc_;
    std::unique_ptr<Plan> all_features_;
    std::unique_ptr<Plan> input_features_;
    std::unique_ptr<Workspace> workspace_;
    int channels_ = 0;
};

}  // namespace ser
