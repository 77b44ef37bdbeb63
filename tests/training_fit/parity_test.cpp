#include <doctest/doctest.h>

#include <cmath>

#include "analysis/analyzer.h"
#include "io/audio_file.h"
#include "model/model.h"
#include "nn/thread_pool.h"
#include "support/test_support.h"
#include "training/corpus.h"
#include "training/evaluate.h"
#include "training/fit.h"

TEST_SUITE("training_fit") {

namespace {

// Trains a small model on `items` and compares training's clip probabilities with the
// analyser's on the same files. edge_s > 0: both score the clips framed by that much silence.
void check_parity(const std::vector<ser::CorpusItem>& items, double edge_s) {
    CAPTURE(edge_s);
    const nlohmann::json config_json = {
        {"features", {{"preset", "default"}, {"mel", {{"n_mels", 24}}}, {"mfcc", {{"n_mfcc", 20}}}}},
        {"input", {{"window_s", 1.0}, {"hop_s", 0.25}, {"edge_s", edge_s}}},
        {"normalisation", {{"per_utterance", true}}},
        {"network",
         {{"layers",
           {{{"type", "conv1d"}, {"filters", 8}, {"kernel", 5}, {"padding", "same"}},
            {{"type", "batchnorm"}},
            {{"type", "relu"}},
            {{"type", "stats_pool"}},
            {{"type", "dense"}, {"units", "labels"}},
            {{"type", "softmax"}}}}}},
        {"training", {{"epochs", 2}, {"batch_size", 4}, {"validation_fraction", 0}}}};
    const ser::TrainingConfig config = ser::training_config_from_json(config_json);
    const ser::ClipSet clips = ser::load_clip_set(items, config, {});
    std::vector<std::size_t> all(clips.items.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    ser::FitResult fitted = ser::fit(config, clips, all, {}, {});

    ser::nn::ThreadPool pool(1);
    const ser::InputShape shape = ser::input_shape(config, clips);
    const ser::ClipScores trained = ser::score_clips(fitted.network, fitted.normalisation, shape, config, clips, all, &pool);

    // As users get it: through the file.
    const ser::Model loaded = ser::load_model(ser::save_model(ser::model_of(config, clips, fitted)));
    CHECK(loaded.analysis.edge_s == edge_s);
    ser::Analyzer analyzer(loaded, loaded.features.sample_rate);

    const auto classes = clips.labels.size();
    double worst = 0.0;
    for (std::size_t k = 0; k < clips.items.size(); ++k) {
        const ser::ClipResult r = analyzer.analyse(ser::load_audio(clips.items[k].path, analyzer.model_rate())).result;
        for (std::size_t c = 0; c < classes; ++c)
            worst = std::max(worst, std::fabs(static_cast<double>(r.probabilities[c]) - trained.clip_probabilities[k * classes + c]));
    }
    MESSAGE("largest difference between training's and inference's clip probabilities: " << worst);
    CHECK(worst < 1e-5);

    // Bare windows (window-level figures, the temperature) are the clips' own, without edges.
    const ser::ClipScores bare = ser::score_clips(fitted.network, fitted.normalisation, shape, config, clips, all, &pool,
                                                  1.0f, -1, ser::Framing::bare);
    ser::Model unframed = ser::load_model(ser::save_model(ser::model_of(config, clips, fitted)));
    unframed.analysis.edge_s = 0.0;
    ser::Analyzer live_like(unframed, unframed.features.sample_rate);
    std::size_t own = 0;
    for (const ser::CorpusItem& item : clips.items)
        own += live_like.analyse(ser::load_audio(item.path, live_like.model_rate())).result.windows.size();
    CHECK(bare.window_clip.size() == own);
    CHECK((edge_s > 0.0) == (trained.window_clip.size() > own));
    CHECK_THROWS_AS(ser::score_clips(fitted.network, fitted.normalisation, shape, config, clips, all, &pool, 1.0f, 0,
                                     ser::Framing::bare),
                    std::invalid_argument);
}

}  // namespace

// Training and evaluation cut windows out of a clip's features in bulk; inference
// (ser predict, the browser) classifies each window from its own audio. Both must give the
// same probabilities, or the accuracy training reports is not the accuracy users get.
TEST_CASE("training's evaluation and inference give the same probabilities for real clips") {
    SER_REQUIRE_SHARED("data/ravdess/Actor_03");
    ser::CorpusScan scan = ser::read_corpus(ser::Corpus::ravdess, ser::test::shared_dir() / "data/ravdess/Actor_03");
    std::vector<ser::CorpusItem> items;
    for (std::size_t i = 0; i < scan.items.size(); i += 5) items.push_back(scan.items[i]);  // 12 clips
    check_parity(items, 0.0);
    check_parity(items, 0.5);  // windows past the clips' edges
}

}
