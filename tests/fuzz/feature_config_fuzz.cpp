// libFuzzer target: any bytes as the "features" object of a model file or training config.
// The parser either accepts it or throws std::invalid_argument (a JSON syntax error is
// nlohmann's own exception, thrown before our code runs). An accepted config must survive
// to_json and back unchanged, and must compute features on a short signal without error.

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "features/feature_config.h"
#include "features/feature_extractor.h"
#include "fuzz/fuzz_json.h"

namespace {

// Enough samples for a frame at any rate; a config whose frames cost more than this many
// FFT points in total is accepted but not run, so a slow-by-design config (hop 1, n_fft
// 65536) does not read as a hang.
constexpr std::size_t signal_samples = 4096;
constexpr double max_fft_work = 1 << 24;

std::vector<float> test_signal() {
    std::vector<float> pcm(signal_samples);
    for (std::size_t i = 0; i < pcm.size(); ++i) pcm[i] = 0.3f * static_cast<float>(std::sin(0.05 * static_cast<double>(i)));
    return pcm;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto accepted =
        ser::fuzz::parse_accepted(data, size, [](const nlohmann::json& json) { return ser::feature_config_from_json(json); });
    if (!accepted) return 0;
    const ser::FeatureConfig& config = *accepted;
    if (!(ser::feature_config_from_json(ser::to_json(config)) == config)) __builtin_trap();

    static const std::vector<float> pcm = test_signal();
    ser::FeatureExtractor extractor(config);
    const double frames = extractor.frames_for(pcm.size());
    if (frames * config.stft.n_fft > max_fft_work) return 0;
    try {
        ser::FeatureMatrix features;
        extractor.compute(pcm, features);
    } catch (const std::invalid_argument&) {
        // documented: deltas or pooling that need more frames than the signal gives
    }
    return 0;
}
