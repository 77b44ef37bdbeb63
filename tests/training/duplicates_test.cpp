#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "io/audio_file.h"
#include "nn/rng.h"
#include "support/test_support.h"
#include "training/dataset.h"
#include "training/duplicates.h"
#include "training/splits.h"
#include "training/validation_split.h"
#include "training_test_support.h"

using namespace ser;

namespace {

// Speech-like: a tone whose loudness comes and goes, then half a second of near silence.
std::vector<float> take(std::uint64_t seed) {
    nn::Rng rng(seed);
    std::vector<float> pcm = test::harmonic_tone(140.0 + 40.0 * rng.uniform(), 8, 1.5, 16000);
    const double phase = 6.28 * rng.uniform();
    for (std::size_t i = 0; i < pcm.size(); ++i)
        pcm[i] *= static_cast<float>(0.5 + 0.5 * std::sin(12.57 * static_cast<double>(i) / 16000.0 + phase));
    for (float& x : pcm) x += static_cast<float>(0.01 * rng.normal());
    pcm.resize(pcm.size() + 8000, 0.0f);
    return pcm;
}

// What a FLAC made from a resampled original adds: +-2 steps of 16-bit dither.
std::vector<float> dithered(std::vector<float> pcm, std::uint64_t seed) {
    nn::Rng rng(seed);
    for (float& x : pcm) x += static_cast<float>(static_cast<int>(rng.below(5)) - 2) / 32768.0f;
    return pcm;
}

void check_no_group_straddles(std::span<const CorpusItem> items, std::span<const std::size_t> train,
                              std::span<const std::size_t> test, const std::string& what) {
    std::set<int> train_groups, test_groups;
    for (std::size_t i : train) train_groups.insert(items[i].duplicate_group);
    for (std::size_t i : test) test_groups.insert(items[i].duplicate_group);
    for (int g : test_groups) CHECK_MESSAGE((g < 0 || !train_groups.count(g)), what << ": group " << g << " on both sides");
}

}  // namespace

TEST_CASE("the same audio is found through dither, a new take is not") {
    const std::vector<float> a = take(1);
    const auto fa = audio_fingerprint(a, 16000);
    CHECK(fa.size() == (a.size() + 159) / 160);
    CHECK(same_audio(fa, audio_fingerprint(dithered(a, 7), 16000)));

    std::vector<float> shifted(a.begin() + 320, a.end());  // the same sound 20 ms earlier
    shifted.resize(a.size(), 0.0f);
    CHECK_FALSE(same_audio(fa, audio_fingerprint(shifted, 16000)));
    CHECK_FALSE(same_audio(fa, audio_fingerprint(take(2), 16000)));
    std::vector<float> longer = a;
    longer.resize(a.size() + 160, 0.0f);
    CHECK_FALSE(same_audio(fa, audio_fingerprint(longer, 16000)));

    const std::vector<std::vector<float>> prints = {fa, audio_fingerprint(take(2), 16000), audio_fingerprint(dithered(a, 3), 16000),
                                                    audio_fingerprint(take(3), 16000), audio_fingerprint(dithered(take(2), 5), 16000),
                                                    audio_fingerprint(dithered(a, 4), 16000)};
    CHECK(duplicate_groups(prints) == std::vector<int>{0, 1, 0, -1, 1, 0});
}

TEST_CASE("no split puts two copies of a recording on opposite sides") {
    std::vector<CorpusItem> items = test::synthetic_items("ravdess", 12, 16);
    const std::vector<CorpusItem> tess = test::synthetic_items("tess", 2, 40);
    items.insert(items.end(), tess.begin(), tess.end());
    for (std::size_t i = 12 * 16; i < items.size(); ++i) items[i].corpus = Corpus::tess;
    // Pairs within a speaker (as in ASED and RAVDESS), across speakers, and across corpora.
    const std::vector<std::pair<std::size_t, std::size_t>> pairs = {{0, 1}, {17, 18}, {40, 41}, {3, 100}, {5, 170}, {20, 200}, {150, 230}};
    for (std::size_t g = 0; g < pairs.size(); ++g) {
        items[pairs[g].first].duplicate_group = items[pairs[g].second].duplicate_group = static_cast<int>(g);
        items[pairs[g].second].label = items[pairs[g].first].label;
    }
    for (const char* protocol : {"speaker", "loso", "corpus", "random"}) {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            const SplitPlan plan = make_split(protocol, items, seed);
            for (const Fold& fold : plan.folds) {
                check_no_group_straddles(items, fold.train, fold.test, std::string(protocol) + " " + fold.name);
                // Only a clip that duplicates a test clip leaves the training side.
                CHECK(fold.train.size() + fold.test.size() >= items.size() - pairs.size());
                const ValidationSplit vs = validation_split(items, fold.train, 0.2, seed);
                check_no_group_straddles(items, vs.train, vs.validation, std::string(protocol) + " validation");
            }
        }
    }
    // A single speaker: validation falls back to a file split, which must not split a pair.
    std::vector<std::size_t> one_speaker;
    for (std::size_t i = 0; i < 16; ++i) one_speaker.push_back(i);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const ValidationSplit vs = validation_split(items, one_speaker, 0.4, seed);
        CHECK_FALSE(vs.speaker_held_out);
        check_no_group_straddles(items, vs.train, vs.validation, "file-level validation");
    }
}

TEST_CASE("load_clip_set finds ASED's and RAVDESS's identical repetitions in the shared data") {
    SER_REQUIRE_SHARED("data/ased");
    SER_REQUIRE_SHARED("data/ravdess");
    const auto root = test::shared_dir() / "data";
    std::vector<CorpusItem> items;
    auto add = [&](Corpus corpus, const std::string& relative, const std::string& speaker) {
        CorpusItem item;
        item.corpus = corpus;
        item.path = root / relative;
        item.speaker = speaker;
        item.label = "neutral";
        items.push_back(item);
    };
    for (const char* pair : {"01Neutral/n1-07-0%d-02-53", "03Happy/h3-01-0%d-02-08", "04Sad/s4-03-0%d-01-23",
                             "05Angry/a5-07-0%d-02-63"})
        for (int repetition : {1, 2}) {
            char name[64];
            std::snprintf(name, sizeof name, pair, repetition);
            add(Corpus::ased, std::string("ased/") + name + ".opus", "ased:x");
        }
    add(Corpus::ravdess, "ravdess/Actor_07/03-01-03-01-02-01-07.flac", "ravdess:07");
    add(Corpus::ravdess, "ravdess/Actor_07/03-01-03-01-02-02-07.flac", "ravdess:07");
    // Two repetitions of one sentence that are different takes, as the corpus's other pairs are.
    add(Corpus::ased, "ased/01Neutral/n1-06-01-02-53.opus", "ased:x");
    add(Corpus::ased, "ased/01Neutral/n1-06-02-02-53.opus", "ased:x");
    add(Corpus::ravdess, "ravdess/Actor_07/03-01-03-01-01-01-07.flac", "ravdess:07");
    items[2].label = items[3].label = "happy";  // two labels, so the set is a valid one
    TrainingConfig config;
    config.features = feature_preset("default");
    const ClipSet clips = load_clip_set(items, config, {});
    REQUIRE(clips.items.size() == items.size());
    std::vector<int> groups;
    for (const auto& item : clips.items) groups.push_back(item.duplicate_group);
    CHECK(groups == std::vector<int>{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, -1, -1, -1});
}
