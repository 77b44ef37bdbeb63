// Every stage of every file in ../shared/golden/librosa-0.11.0, natively and under node.

#include <doctest/doctest.h>

#include <cmath>

#include "features/chroma.h"
#include "features/feature_extractor.h"
#include "features/mel.h"
#include "features/stft.h"
#include "golden_support.h"
#include "support/test_support.h"

using namespace ser;
using ser::test::compare;

namespace {

// A power value matches when its relative error is at most 1e-4. Exact zeros (frames of
// digital silence) must come out as zeros or as float32 round-off of the frame's neighbours.
void check_power(const FeatureMatrix& actual, const nlohmann::json& expected, const std::string& what) {
    const auto rows = ser::test::as_rows(expected);
    REQUIRE(static_cast<int>(rows.size()) == actual.rows);
    REQUIRE(static_cast<int>(rows.front().size()) == actual.cols);
    double worst = 0.0;
    int bad = 0;
    for (int r = 0; r < actual.rows; ++r) {
        for (int c = 0; c < actual.cols; ++c) {
            const double want = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            const double got = actual.at(r, c);
            const double rel = want == 0.0 ? (got == 0.0 ? 0.0 : 1.0) : std::fabs(got - want) / want;
            worst = std::max(worst, rel);
            if (rel > 1e-4) ++bad;
        }
    }
    INFO(what << ": worst relative error " << worst << ", entries above 1e-4: " << bad);
    CHECK(bad == 0);
}

}  // namespace

TEST_SUITE("features.golden") {

TEST_CASE("every stage of every librosa 0.11 golden file") {
    SER_REQUIRE_SHARED("golden/librosa-0.11.0");
    for (const auto& name : ser::test::golden_names) {
        CAPTURE(name);
        const auto golden = ser::test::load_golden(name);
        const std::vector<float> pcm = ser::test::golden_samples(golden);
        const FeatureConfig config = ser::test::golden_config(golden);
        FeatureExtractor extractor(config);
        const auto features = extractor.compute_named(pcm);
        const int frames = golden.at("n_frames").get<int>();
        CHECK(extractor.frames_for(pcm.size()) == frames);

        // STFT magnitudes of the stored frames.
        Stft stft(config.stft);
        Matrix power;
        Stft::Scratch scratch;
        stft.power(pcm, power, nullptr, scratch);
        for (const auto& item : golden.at("stft_magnitude_frames").items()) {
            const std::string index = item.key();
            const auto& values = item.value();
            const int t = std::stoi(index);
            FeatureMatrix column{stft.n_bins(), 1, {}};
            for (int k = 0; k < stft.n_bins(); ++k) column.values.push_back(static_cast<float>(std::sqrt(power.at(k, t))));
            nlohmann::json as_column = nlohmann::json::array();
            for (const auto& v : values) as_column.push_back(nlohmann::json::array({v}));
            check_power(column, as_column, "stft frame " + index);
        }

        MelFilterbank mel(config.mel, config.sample_rate, config.stft.n_fft);
        for (const auto& item : golden.at("mel_filterbank_rows").items()) {
            const std::string index = item.key();
            const auto& values = item.value();
            const auto row = mel.dense_row(std::stoi(index));
            FeatureMatrix m{1, static_cast<int>(row.size()), std::vector<float>(row.begin(), row.end())};
            nlohmann::json wrapped = nlohmann::json::array({values});
            const auto e = compare(m, wrapped);
            CAPTURE(index);
            CHECK(e.max_abs <= 1e-7);
        }

        check_power(features.at("mel_power"), golden.at("mel_power"), "mel_power");
        const auto db = compare(features.at("mel_db"), golden.at("mel_db"));
        const auto mfcc = compare(features.at("mfcc"), golden.at("mfcc"));
        const auto zcr = compare(features.at("zcr"), golden.at("zcr"));
        const auto rms = compare(features.at("rms"), golden.at("rms"));
        const auto chroma = compare(features.at("chroma"), golden.at("chroma_power_estimated_tuning"));
        CAPTURE(db.max_abs);
        CAPTURE(mfcc.max_abs);
        CAPTURE(chroma.max_abs);
        CHECK(db.max_abs <= 1e-3);
        CHECK(mfcc.max_abs <= 1e-3);
        CHECK(zcr.max_abs <= 1e-5);
        CHECK(rms.max_abs <= 1e-5);
        CHECK(chroma.max_abs <= 1e-4);

        // Tuning estimates on both spectra librosa's chroma reads.
        std::vector<float> magnitude;
        stft.power(pcm, power, &magnitude, scratch);
        std::vector<float> squared(magnitude);
        for (float& v : squared) v = v * v;
        TuningScratch tuning_scratch;
        const double from_power = estimate_tuning(squared, stft.n_bins(), frames, config.sample_rate,
                                                  config.stft.n_fft, 12, tuning_scratch);
        const double from_magnitude = estimate_tuning(magnitude, stft.n_bins(), frames, config.sample_rate,
                                                      config.stft.n_fft, 12, tuning_scratch);
        CHECK(from_power == golden.at("estimated_tuning_from_power").get<double>());
        CHECK(from_magnitude == golden.at("estimated_tuning_from_magnitude").get<double>());

        FeatureConfig pinned = config;
        pinned.chroma.tuning = 0.0;
        const auto c0 = compare(FeatureExtractor(pinned).compute_named(pcm).at("chroma"), golden.at("chroma_power_tuning0"));
        CHECK(c0.max_abs <= 1e-4);
        FeatureConfig recipe_chroma = config;
        recipe_chroma.chroma.input = ChromaInput::magnitude;
        const auto cm = compare(FeatureExtractor(recipe_chroma).compute_named(pcm).at("chroma"),
                                golden.at("chroma_magnitude_estimated_tuning"));
        CHECK(cm.max_abs <= 1e-4);

        if (!golden.at("recipe162").is_null()) {
            FeatureExtractor recipe(feature_preset("recipe162"));
            FeatureMatrix vector;
            recipe.compute(pcm, vector);
            REQUIRE(vector.rows == 1);
            REQUIRE(vector.cols == 162);
            const auto want = golden.at("recipe162").get<std::vector<double>>();
            double worst = 0.0;
            for (int i = 0; i < 162; ++i)
                worst = std::max(worst, std::fabs(vector.values[static_cast<std::size_t>(i)] - want[static_cast<std::size_t>(i)]) /
                                            std::max(std::fabs(want[static_cast<std::size_t>(i)]), 1e-30));
            CAPTURE(worst);
            CHECK(worst <= 1e-3);
        }
    }
}

}
