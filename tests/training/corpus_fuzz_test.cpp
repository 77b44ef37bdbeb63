// Property test of the name parsers: seeded mutations of valid names are either read
// consistently or listed with a reason, never a crash, an exception or a half-filled item.

#include <doctest/doctest.h>

#include <stdexcept>

#include <string>

#include "nn/rng.h"
#include "training/corpus.h"
#include "training/labels.h"

using namespace ser;

namespace {

std::string mutate(std::string name, nn::Rng& rng) {
    static const std::string alphabet = "0123456789_-.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/ ";
    const int edits = 1 + static_cast<int>(rng.below(3));
    for (int e = 0; e < edits; ++e) {
        const char c = alphabet[rng.below(alphabet.size())];
        const std::size_t at = name.empty() ? 0 : rng.below(name.size());
        switch (rng.below(4)) {
            case 0: if (!name.empty()) name[at] = c; break;
            case 1: name.insert(name.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            case 2: if (!name.empty()) name.erase(at, 1); break;
            default: name = name.substr(0, at); break;
        }
    }
    return name;
}

}  // namespace

TEST_CASE("mutated corpus file names are matched consistently or listed with a reason") {
    const std::pair<Corpus, std::string> seeds[] = {
        {Corpus::ravdess, "Actor_12/03-01-05-02-01-01-12.wav"}, {Corpus::tess, "YAF_pleasant_surprised/YAF_back_ps.wav"},
        {Corpus::crema_d, "AudioWAV/1001_DFA_ANG_XX.wav"},      {Corpus::savee, "DC/sa03.wav"},
        {Corpus::savee, "ALL/JK_n22.wav"},                       {Corpus::emodb, "wav/03a01Wa.wav"},
        {Corpus::nemo, "samples/KS0_sadness_12.opus"},          {Corpus::ased, "04Sad/s4-03-01-01-23.opus"}};
    nn::Rng rng(20240611);
    int matched = 0, listed = 0;
    for (int round = 0; round < 4000; ++round) {
        const auto& [corpus, name] = seeds[rng.below(std::size(seeds))];
        const std::string mutated = mutate(name, rng);
        CorpusOptions options;
        options.labels.keep_boredom = rng.below(2) == 1;
        NameMatch match;
        REQUIRE_NOTHROW(match = match_corpus_file(corpus, "/data/" + mutated, options));
        if (match.outcome == NameMatch::Outcome::matched) {
            ++matched;
            INFO(mutated);
            CHECK(match.item.speaker.rfind(std::string(corpus_name(corpus)) + ":", 0) == 0);
            CHECK(match.item.speaker.size() > corpus_name(corpus).size() + 1);
            CHECK(apply_label_options(match.item.emotion, options.labels) == match.item.label);
            CHECK_FALSE(match.item.corpus_code.empty());
            CHECK(match.item.corpus == corpus);
            CHECK(is_audio_file_name(match.item.path));
        } else {
            ++listed;
            CHECK_FALSE(match.reason.empty());
        }
    }
    // Both branches must be exercised for the property to mean anything.
    CHECK(matched > 100);
    CHECK(listed > 1000);
}
