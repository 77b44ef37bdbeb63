#include "training/evaluate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/model_input.h"
#include "nn/layers.h"

namespace ser {

std::vector<int> truth_of(const ClipSet& clips, std::span<const std::size_t> items) {
    std::vector<int> truth;
    for (std::size_t i : items) truth.push_back(clips.label[i]);
    return truth;
}

std::vector<int> window_truth(const ClipSet& clips, std::span<const std::size_t> items, const ClipScores& scores) {
    std::vector<int> truth;
    for (int clip : scores.window_clip) truth.push_back(clips.label[items[static_cast<std::size_t>(clip)]]);
    return truth;
}

ClassificationScores clip_scores(const ClipSet& clips, std::span<const std::size_t> items, std::span<const float> clip_probabilities) {
    const int classes = static_cast<int>(clips.labels.size());
    return score(confusion_matrix(truth_of(clips, items), predicted_classes(clip_probabilities, classes), classes));
}

std::vector<int> predicted_classes(std::span<const float> scores, int classes) {
    std::vector<int> out;
    for (std::size_t r = 0; r + static_cast<std::size_t>(classes) <= scores.size(); r += static_cast<std::size_t>(classes)) {
        const auto row = scores.subspan(r, static_cast<std::size_t>(classes));
        out.push_back(static_cast<int>(nn::argmax(row)));
    }
    return out;
}

ClipScores score_clips(nn::Network& network, const Normalisation& normalisation, const InputShape& shape,
                       const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> items,
                       nn::ThreadPool* pool, float temperature, int condition, Framing framing) {
    if (framing == Framing::bare && condition >= 0)
        throw std::invalid_argument("score_clips: test conditions are kept framed only; score them as analysed");
    const int classes = static_cast<int>(clips.labels.size());
    const int window = shape.frames;
    const std::size_t input_size = static_cast<std::size_t>(shape.channels) * static_cast<std::size_t>(window);
    const int hop = shape.windowed ? static_cast<int>(std::lround(config.input.hop_s * config.features.sample_rate)) /
                                         config.features.stft.hop_length
                                   : 1;

    ClipScores scores;
    scores.classes = classes;
    std::vector<float> inputs, levels, weights;
    std::vector<int> kept;
    auto flush = [&] {
        const int n = static_cast<int>(inputs.size() / input_size);
        if (n == 0) return;
        nn::Context ctx;
        ctx.pool = pool;
        const nn::Batch& logits = network.forward(inputs, n, ctx);
        scores.window_logits.insert(scores.window_logits.end(), logits.data.begin(),
                                    logits.data.begin() + static_cast<std::ptrdiff_t>(n) * classes);
        inputs.clear();
    };
    constexpr int batch = 64;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const FeatureMatrix& clip = framing == Framing::bare ? clips.variants.at(items[k]).front()
                                    : condition < 0          ? analysed_clip(clips, items[k])
                                                             : clips.conditioned.at(static_cast<std::size_t>(condition)).at(items[k]);
        const std::vector<int> starts = shape.windowed ? window_starts(clip.cols, window, hop) : std::vector<int>{0};
        levels.clear();
        if (shape.windowed && normalisation.speech_range_db > 0.0) frame_levels(clip, normalisation.level_rows, levels);
        const std::vector<float> clip_weights = weigh_windows(levels, starts, window, normalisation).weights;
        weights.insert(weights.end(), clip_weights.begin(), clip_weights.end());
        for (int start : starts) {
            const std::size_t at = inputs.size();
            inputs.resize(at + input_size);
            const std::span<float> input(inputs.data() + at, input_size);
            if (shape.windowed) {
                gather_window(clip, levels, start, window, normalisation, input, kept);
            } else {
                if (clip.values.size() != input_size) throw std::runtime_error("a pooled clip has an unexpected size");
                std::copy(clip.values.begin(), clip.values.end(), input.begin());
            }
            normalise_input(input, shape.channels, window, shape.pooled, normalisation);
            scores.window_clip.push_back(static_cast<int>(k));
            if (inputs.size() / input_size == batch) flush();
        }
    }
    flush();

    // A clip's probabilities: the mean of its windows', each weighted as the Analyzer weighs it.
    scores.clip_probabilities.assign(items.size() * static_cast<std::size_t>(classes), 0.0f);
    std::vector<double> weight_of(items.size(), 0.0);
    for (std::size_t w = 0; w < weights.size(); ++w) weight_of[static_cast<std::size_t>(scores.window_clip[w])] += weights[w];
    std::vector<double> p(static_cast<std::size_t>(classes));
    for (std::size_t w = 0; w < scores.window_clip.size(); ++w) {
        const auto k = static_cast<std::size_t>(scores.window_clip[w]);
        const double share = weight_of[k] > 0.0 ? weights[w] / weight_of[k] : 0.0;
        const float* z = scores.window_logits.data() + w * static_cast<std::size_t>(classes);
        const float top = *std::max_element(z, z + classes);
        double sum = 0.0;
        for (int c = 0; c < classes; ++c) sum += p[static_cast<std::size_t>(c)] = std::exp((z[c] - top) / temperature);
        float* clip = scores.clip_probabilities.data() + k * static_cast<std::size_t>(classes);
        for (int c = 0; c < classes; ++c) clip[c] += static_cast<float>(share * p[static_cast<std::size_t>(c)] / sum);
    }
    return scores;
}

}  // namespace ser
