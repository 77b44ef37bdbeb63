#include <doctest/doctest.h>

#include <stdexcept>

#include <algorithm>
#include <map>
#include <set>

#include "support/test_support.h"
#include "training/corpus.h"
#include "training_test_support.h"

using namespace ser;

namespace {

std::map<std::string, int> count_by(const std::vector<CorpusItem>& items, std::string CorpusItem::*field) {
    std::map<std::string, int> counts;
    for (const auto& item : items) ++counts[item.*field];
    return counts;
}

const CorpusItem& item_named(const CorpusScan& scan, const std::string& file_name) {
    const auto it = std::find_if(scan.items.begin(), scan.items.end(),
                                 [&](const CorpusItem& item) { return item.path.filename() == file_name; });
    REQUIRE_MESSAGE(it != scan.items.end(), file_name);
    return *it;
}

std::set<std::string> names_of(const std::vector<SkippedFile>& files) {
    std::set<std::string> names;
    for (const auto& file : files) names.insert(file.path.filename().string());
    return names;
}

}  // namespace

TEST_CASE("RAVDESS reader on the shared corpus: counts as the data README states") {
    SER_REQUIRE_SHARED("data/ravdess");
    const CorpusScan scan = read_corpus(Corpus::ravdess, test::shared_dir() / "data/ravdess");
    CHECK(scan.items.size() == 1440);
    CHECK(scan.unmatched.empty());
    CHECK(scan.excluded.empty());

    const auto speakers = count_by(scan.items, &CorpusItem::speaker);
    CHECK(speakers.size() == 24);
    for (const auto& [name, count] : speakers) {
        const std::string& speaker = name;  // clang 14 cannot capture a structured binding
        CHECK_MESSAGE(count == 60, speaker);
    }
    CHECK(speakers.begin()->first == "ravdess:01");

    const auto labels = count_by(scan.items, &CorpusItem::label);
    CHECK(labels.size() == 8);
    CHECK(labels.at("neutral") == 96);
    for (const char* label : {"calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"})
        CHECK_MESSAGE(labels.at(label) == 192, label);

    int male = 0, strong = 0;
    for (const auto& item : scan.items) {
        male += item.gender == Gender::male;
        strong += item.fields.at("intensity") == "strong";
        CHECK(item.corpus == Corpus::ravdess);
    }
    CHECK(male == 720);
    CHECK(strong == 7 * 96);

    const CorpusItem& angry = item_named(scan, "03-01-05-02-01-01-12.flac");
    CHECK(angry.speaker == "ravdess:12");
    CHECK(angry.gender == Gender::female);
    CHECK(angry.label == "angry");
    CHECK(angry.corpus_code == "05");
    CHECK(angry.fields.at("intensity") == "strong");
    CHECK(angry.fields.at("statement") == "01");
    CHECK(angry.fields.at("repetition") == "01");
}

TEST_CASE("RAVDESS reader merges calm into neutral on request") {
    SER_REQUIRE_SHARED("data/ravdess");
    CorpusOptions options;
    options.labels.merge_calm_into_neutral = true;
    const CorpusScan scan = read_corpus(Corpus::ravdess, test::shared_dir() / "data/ravdess", options);
    const auto labels = count_by(scan.items, &CorpusItem::label);
    CHECK(labels.size() == 7);
    CHECK(labels.at("neutral") == 96 + 192);
    CHECK(labels.count("calm") == 0);
    CHECK(count_by(scan.items, &CorpusItem::emotion).at("calm") == 192);  // the recording's own emotion stays
}

TEST_CASE("TESS reader on the shared corpus: counts, ps as surprised, the release's quirks") {
    SER_REQUIRE_SHARED("data/tess");
    const CorpusScan scan = read_corpus(Corpus::tess, test::shared_dir() / "data/tess");
    CHECK(scan.items.size() == 2800);
    CHECK(scan.unmatched.empty());

    const auto speakers = count_by(scan.items, &CorpusItem::speaker);
    CHECK(speakers.size() == 2);
    CHECK(speakers.at("tess:OAF") == 1400);
    CHECK(speakers.at("tess:YAF") == 1400);

    const auto labels = count_by(scan.items, &CorpusItem::label);
    CHECK(labels.size() == 7);
    for (const char* label : {"neutral", "happy", "sad", "angry", "fearful", "disgust", "surprised"})
        CHECK_MESSAGE(labels.at(label) == 400, label);
    for (const auto& item : scan.items) CHECK(item.gender == Gender::female);

    const CorpusItem& quirk = item_named(scan, "OA_bite_neutral.flac");
    CHECK(quirk.speaker == "tess:OAF");
    CHECK(quirk.label == "neutral");
    CHECK(quirk.fields.at("word") == "bite");
    const CorpusItem& surprised = item_named(scan, "YAF_back_ps.flac");  // in YAF_pleasant_surprised
    CHECK(surprised.label == "surprised");
    CHECK(surprised.corpus_code == "ps");
}

TEST_CASE("nEMO reader on the shared corpus: counts, speakers and genders from data.tsv") {
    SER_REQUIRE_SHARED("data/nemo");
    const CorpusScan scan = read_corpus(Corpus::nemo, test::shared_dir() / "data/nemo");
    CHECK(scan.items.size() == 4481);
    CHECK(scan.unmatched.empty());
    CHECK(scan.excluded.empty());
    REQUIRE(scan.non_audio.size() == 1);
    CHECK(scan.non_audio[0].filename() == "data.tsv");

    const auto speakers = count_by(scan.items, &CorpusItem::speaker);
    CHECK(speakers.size() == 9);
    CHECK(speakers.at("nemo:MP0") == 256);
    CHECK(speakers.at("nemo:KD0") == 540);
    const auto labels = count_by(scan.items, &CorpusItem::label);
    CHECK(labels == std::map<std::string, int>{{"angry", 749}, {"fearful", 736}, {"happy", 749},
                                               {"neutral", 809}, {"sad", 769}, {"surprised", 669}});
    std::map<std::string, std::set<Gender>> genders;
    for (const auto& item : scan.items) genders[item.speaker].insert(item.gender);
    for (const char* female : {"nemo:EB0", "nemo:IC0", "nemo:KD0", "nemo:MK0"})
        CHECK_MESSAGE(genders.at(female) == std::set<Gender>{Gender::female}, female);
    for (const char* male : {"nemo:KS0", "nemo:MP0", "nemo:SM0", "nemo:TP0", "nemo:WR0"})
        CHECK_MESSAGE(genders.at(male) == std::set<Gender>{Gender::male}, male);
    const CorpusItem& anger = item_named(scan, "EB0_anger_1.opus");
    CHECK(anger.label == "angry");
    CHECK(anger.corpus_code == "anger");
    CHECK_FALSE(anger.fields.at("sentence").empty());
}

TEST_CASE("ASED reader on the shared corpus: counts, genders settled per speaker, the capital S4") {
    SER_REQUIRE_SHARED("data/ased");
    const CorpusScan scan = read_corpus(Corpus::ased, test::shared_dir() / "data/ased");
    CHECK(scan.items.size() == 2474);
    CHECK(scan.unmatched.empty());
    CHECK(scan.excluded.empty());
    const auto labels = count_by(scan.items, &CorpusItem::label);
    CHECK(labels == std::map<std::string, int>{{"neutral", 522}, {"fearful", 510}, {"happy", 486}, {"sad", 470},
                                               {"angry", 486}});
    std::map<std::string, std::set<Gender>> genders;
    for (const auto& item : scan.items) genders[item.speaker].insert(item.gender);
    CHECK(genders.size() == 65);
    int male = 0;
    for (const auto& [name, set] : genders) {
        const std::string& speaker = name;  // clang 14 cannot capture a structured binding
        CHECK_MESSAGE(set.size() == 1, speaker);  // one file of speaker 09 says 02: outvoted
        male += *set.begin() == Gender::male;
    }
    CHECK(male == 40);
    CHECK(genders.at("ased:09") == std::set<Gender>{Gender::female});
    const CorpusItem& capital = item_named(scan, "S4-04-02-01-29.opus");
    CHECK(capital.label == "sad");
    CHECK(capital.corpus_code == "s4");
    CHECK(capital.speaker == "ased:29");
}

TEST_CASE("nEMO reader on synthetic files: data.tsv decides gender and must agree with the name") {
    test::TempDir dir;
    for (const char* name : {"EB0_anger_1.wav", "KS0_sadness_12.flac", "WR0_surprised_64.wav", "MP0_happiness_3.wav",
                             "IC0_fear_2.wav", "SM0_neutral_9.wav"})
        test::write_tiny_wav(dir.path() / "samples" / name);
    for (const char* bad : {"EB0_angry_1.wav", "EB0_anger_01.wav", "eb0_anger_1.wav", "EB0_anger.wav",
                            "EB0_anger_5.wav", "KS0_anger_7.wav", "TP0_fear_4.wav"})
        test::write_tiny_wav(dir.path() / "samples" / bad);
    test::write_text(dir.path() / "data.tsv",
                     "file_id\temotion\traw_text\tnormalized_text\tspeaker_id\tgender\tage\n"
                     "EB0_anger_1.wav\tanger\tAla ma kota.\tala ma kota\t        EB0\tfemale\t27\n"
                     "KS0_sadness_12.wav\tsadness\tx\tx\t   KS0\tmale\t30\n"
                     "WR0_surprised_64.wav\tsurprised\tx\tx\tWR0\tmale\t23\n"
                     "MP0_happiness_3.wav\thappiness\tx\tx\tMP0\tmale\t40\n"
                     "IC0_fear_2.wav\tfear\tx\tx\tIC0\tfemale\t22\n"
                     "SM0_neutral_9.wav\tneutral\tx\tx\tSM0\tmale\t25\n"
                     "KS0_anger_7.wav\tsadness\tx\tx\tKS0\tmale\t30\n"   // emotion disagrees with the name
                     "TP0_fear_4.wav\tfear\tx\tx\tWR0\tmale\t30\n");     // speaker disagrees
    const CorpusScan scan = read_corpus(Corpus::nemo, dir.path());
    CHECK(scan.items.size() == 6);
    CHECK(names_of(scan.unmatched) == std::set<std::string>{"EB0_angry_1.wav", "EB0_anger_01.wav", "eb0_anger_1.wav",
                                                             "EB0_anger.wav", "EB0_anger_5.wav", "KS0_anger_7.wav",
                                                             "TP0_fear_4.wav"});
    for (const auto& skipped : scan.unmatched) CHECK_FALSE(skipped.reason.empty());
    const CorpusItem& anger = item_named(scan, "EB0_anger_1.wav");
    CHECK(anger.speaker == "nemo:EB0");
    CHECK(anger.gender == Gender::female);
    CHECK(anger.label == "angry");
    CHECK(anger.fields.at("sentence") == "ala ma kota");
    CHECK(anger.fields.at("age") == "27");
    CHECK(item_named(scan, "KS0_sadness_12.flac").gender == Gender::male);  // file_id says .wav
    CHECK(item_named(scan, "KS0_sadness_12.flac").label == "sad");
    CHECK(item_named(scan, "WR0_surprised_64.wav").label == "surprised");
    CHECK(item_named(scan, "MP0_happiness_3.wav").label == "happy");
    CHECK(item_named(scan, "IC0_fear_2.wav").label == "fearful");
    CHECK(item_named(scan, "SM0_neutral_9.wav").label == "neutral");

    // The samples/ folder alone finds data.tsv beside it; a folder without one is an error.
    CHECK(read_corpus(Corpus::nemo, dir.path() / "samples").items.size() == 6);
    test::TempDir bare;
    test::write_tiny_wav(bare.path() / "EB0_anger_1.wav");
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::nemo, bare.path()), doctest::Contains("data.tsv"), std::runtime_error);
    test::write_text(bare.path() / "data.tsv", "file_id\temotion\n");
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::nemo, bare.path()), doctest::Contains("no column \"speaker_id\""),
                         std::runtime_error);
    // A bare name has no data.tsv behind it: speaker yes, gender unknown.
    const NameMatch alone = match_corpus_file(Corpus::nemo, "KS0_sadness_12.wav");
    CHECK(alone.outcome == NameMatch::Outcome::matched);
    CHECK(alone.item.speaker == "nemo:KS0");
    CHECK(alone.item.gender == Gender::unknown);
}

TEST_CASE("ASED reader on synthetic files: letters, folders, genders, and bad names listed") {
    test::TempDir dir;
    for (const char* name : {"01Neutral/n1-07-01-02-53.wav", "02Fearful/f2-01-02-01-01.wav", "03Happy/h3-03-01-02-65.wav",
                             "04Sad/S4-04-02-01-29.wav", "05Angry/a5-02-02-02-10.flac", "flat/a5-01-01-01-11.wav"})
        test::write_tiny_wav(dir.path() / name);
    for (const char* bad : {"01Neutral/a5-01-01-01-01.wav", "03Happy/x3-01-01-01-01.wav", "03Happy/h3-01-03-01-01.wav",
                            "03Happy/h3-01-01-03-01.wav", "03Happy/h3-01-01-01-66.wav", "03Happy/h3-00-01-01-01.wav",
                            "03Happy/h3-01-01-01.wav", "03Happy/h1-01-01-01-01.wav"})
        test::write_tiny_wav(dir.path() / bad);
    // Speaker 12's second file says male: the majority (female) wins for every file.
    test::write_tiny_wav(dir.path() / "04Sad/s4-01-01-01-12.wav");
    test::write_tiny_wav(dir.path() / "04Sad/s4-01-02-01-12.wav");
    test::write_tiny_wav(dir.path() / "05Angry/a5-01-01-02-12.wav");

    const CorpusScan scan = read_corpus(Corpus::ased, dir.path());
    CHECK(scan.items.size() == 9);
    CHECK(names_of(scan.unmatched) == std::set<std::string>{"a5-01-01-01-01.wav", "x3-01-01-01-01.wav", "h3-01-03-01-01.wav",
                                                             "h3-01-01-03-01.wav", "h3-01-01-01-66.wav", "h3-00-01-01-01.wav",
                                                             "h3-01-01-01.wav", "h1-01-01-01-01.wav"});
    const CorpusItem& neutral = item_named(scan, "n1-07-01-02-53.wav");
    CHECK(neutral.speaker == "ased:53");
    CHECK(neutral.gender == Gender::male);
    CHECK(neutral.label == "neutral");
    CHECK(neutral.fields.at("sentence") == "07");
    CHECK(neutral.fields.at("repetition") == "01");
    CHECK(item_named(scan, "f2-01-02-01-01.wav").gender == Gender::female);
    CHECK(item_named(scan, "f2-01-02-01-01.wav").label == "fearful");
    CHECK(item_named(scan, "h3-03-01-02-65.wav").label == "happy");
    CHECK(item_named(scan, "S4-04-02-01-29.wav").label == "sad");
    CHECK(item_named(scan, "a5-02-02-02-10.flac").label == "angry");
    CHECK(item_named(scan, "a5-01-01-01-11.wav").label == "angry");  // outside the emotion folders: by name
    CHECK(item_named(scan, "a5-01-01-02-12.wav").gender == Gender::female);
}

TEST_CASE("CREMA-D reader on synthetic files: actors, sexes, levels, and unmatched names listed") {
    test::TempDir dir;
    for (const char* name : {"1001_DFA_ANG_XX.wav", "1002_IEO_HAP_HI.wav", "1091_WSI_NEU_XX.flac", "1076_MTI_SAD_LO.wav",
                             "1050_TIE_FEA_MD.wav", "1003_ITS_DIS_XX.wav"})
        test::write_tiny_wav(dir.path() / "AudioWAV" / name);
    for (const char* bad : {"1092_DFA_ANG_XX.wav", "1001_DFA_SUR_XX.wav", "1001_ABC_ANG_XX.wav", "1001_DFA_ANG_ZZ.wav",
                            "1001-DFA-ANG-XX.wav", "1001_DFA_ANG.wav"})
        test::write_tiny_wav(dir.path() / "AudioWAV" / bad);
    test::write_text(dir.path() / "VideoDemographics.csv", "ActorID,Age,Sex\n");

    const CorpusScan scan = read_corpus(Corpus::crema_d, dir.path());
    CHECK(scan.items.size() == 6);
    CHECK(names_of(scan.unmatched) == std::set<std::string>{"1092_DFA_ANG_XX.wav", "1001_DFA_SUR_XX.wav",
                                                             "1001_ABC_ANG_XX.wav", "1001_DFA_ANG_ZZ.wav",
                                                             "1001-DFA-ANG-XX.wav", "1001_DFA_ANG.wav"});
    for (const auto& skipped : scan.unmatched) CHECK_FALSE(skipped.reason.empty());
    REQUIRE(scan.non_audio.size() == 1);
    CHECK(scan.non_audio[0].filename() == "VideoDemographics.csv");

    const CorpusItem& angry = item_named(scan, "1001_DFA_ANG_XX.wav");
    CHECK(angry.speaker == "crema-d:1001");
    CHECK(angry.gender == Gender::male);
    CHECK(angry.label == "angry");
    CHECK(angry.fields.at("sentence") == "DFA");
    CHECK(angry.fields.at("level") == "unspecified");
    CHECK(item_named(scan, "1002_IEO_HAP_HI.wav").gender == Gender::female);
    CHECK(item_named(scan, "1002_IEO_HAP_HI.wav").fields.at("level") == "high");
    CHECK(item_named(scan, "1091_WSI_NEU_XX.flac").gender == Gender::female);
    CHECK(item_named(scan, "1050_TIE_FEA_MD.wav").label == "fearful");
    CHECK(item_named(scan, "1003_ITS_DIS_XX.wav").label == "disgust");
    CHECK(item_named(scan, "1076_MTI_SAD_LO.wav").label == "sad");
}

TEST_CASE("SAVEE reader on synthetic files: both layouts, all speakers male") {
    test::TempDir dir;
    for (const char* name : {"DC_a01.wav", "JE_sa15.wav", "KL_n30.wav", "JK_su01.wav", "JK_d07.wav", "DC_f02.wav"})
        test::write_tiny_wav(dir.path() / "ALL" / name);
    test::write_tiny_wav(dir.path() / "AudioData" / "DC" / "h05.wav");  // the original release's layout
    for (const char* bad : {"DC_n31.wav", "DC_a16.wav", "XX_a01.wav", "DC_b01.wav", "DC_a1.wav"})
        test::write_tiny_wav(dir.path() / "ALL" / bad);
    test::write_tiny_wav(dir.path() / "AudioData" / "a01.wav");  // no speaker folder above it

    const CorpusScan scan = read_corpus(Corpus::savee, dir.path());
    CHECK(scan.items.size() == 7);
    CHECK(names_of(scan.unmatched) ==
          std::set<std::string>{"DC_n31.wav", "DC_a16.wav", "XX_a01.wav", "DC_b01.wav", "DC_a1.wav", "a01.wav"});
    for (const auto& item : scan.items) CHECK(item.gender == Gender::male);
    CHECK(item_named(scan, "JE_sa15.wav").label == "sad");
    CHECK(item_named(scan, "JE_sa15.wav").speaker == "savee:JE");
    CHECK(item_named(scan, "JK_su01.wav").label == "surprised");
    CHECK(item_named(scan, "KL_n30.wav").label == "neutral");
    CHECK(item_named(scan, "DC_f02.wav").label == "fearful");
    const CorpusItem& foldered = item_named(scan, "h05.wav");
    CHECK(foldered.speaker == "savee:DC");
    CHECK(foldered.label == "happy");
    CHECK(foldered.fields.at("sentence") == "h05");
}

TEST_CASE("EMO-DB reader on synthetic files: speakers' sexes, boredom dropped or kept") {
    test::TempDir dir;
    for (const char* name : {"03a01Wa.wav", "08b10Lb.wav", "16a07Tc.wav", "09b03Fd.wav", "13a02Aa.wav", "15b01Ea.wav",
                             "10a04Na.wav"})
        test::write_tiny_wav(dir.path() / "wav" / name);
    for (const char* bad : {"04a01Wa.wav", "03a03Wa.wav", "03a01Xa.wav", "03a01wa.wav", "03a01Wa1.wav", "3a01Wa.wav"})
        test::write_tiny_wav(dir.path() / "wav" / bad);

    const CorpusScan dropped = read_corpus(Corpus::emodb, dir.path());
    CHECK(dropped.items.size() == 6);
    REQUIRE(dropped.excluded.size() == 1);
    CHECK(dropped.excluded[0].path.filename() == "08b10Lb.wav");
    CHECK(names_of(dropped.unmatched) == std::set<std::string>{"04a01Wa.wav", "03a03Wa.wav", "03a01Xa.wav", "03a01wa.wav",
                                                               "03a01Wa1.wav", "3a01Wa.wav"});
    const CorpusItem& angry = item_named(dropped, "03a01Wa.wav");
    CHECK(angry.speaker == "emodb:03");
    CHECK(angry.gender == Gender::male);
    CHECK(angry.label == "angry");
    CHECK(angry.fields.at("text") == "a01");
    CHECK(angry.fields.at("version") == "a");
    CHECK(item_named(dropped, "16a07Tc.wav").gender == Gender::female);
    CHECK(item_named(dropped, "16a07Tc.wav").label == "sad");
    CHECK(item_named(dropped, "09b03Fd.wav").label == "happy");
    CHECK(item_named(dropped, "13a02Aa.wav").label == "fearful");
    CHECK(item_named(dropped, "15b01Ea.wav").label == "disgust");
    CHECK(item_named(dropped, "10a04Na.wav").label == "neutral");

    CorpusOptions keep;
    keep.labels.keep_boredom = true;
    const CorpusScan kept = read_corpus(Corpus::emodb, dir.path(), keep);
    CHECK(kept.items.size() == 7);
    CHECK(kept.excluded.empty());
    CHECK(item_named(kept, "08b10Lb.wav").label == "boredom");
    CHECK(item_named(kept, "08b10Lb.wav").gender == Gender::female);
}

TEST_CASE("misplaced files, song, and the same recording in two formats") {
    test::TempDir dir;
    test::write_tiny_wav(dir.path() / "Actor_01" / "03-01-02-01-01-01-01.wav");
    test::write_tiny_wav(dir.path() / "Actor_01" / "03-01-02-01-01-01-01.flac");   // same recording again
    test::write_tiny_wav(dir.path() / "Actor_01" / "03-01-05-01-01-01-02.wav");    // actor 02 in Actor_01
    test::write_tiny_wav(dir.path() / "Actor_01" / "03-02-03-01-01-01-01.wav");    // song
    test::write_tiny_wav(dir.path() / "Actor_01" / "03-01-01-02-01-01-01.wav");    // strong neutral does not exist
    test::write_tiny_wav(dir.path() / "Actor_01" / "01-01-03-01-01-01-01.wav");    // audio-video modality
    const CorpusScan scan = read_corpus(Corpus::ravdess, dir.path());
    CHECK(scan.items.size() == 1);
    CHECK(scan.items[0].path.extension() == ".flac");  // sorted first
    CHECK(names_of(scan.unmatched) ==
          std::set<std::string>{"03-01-05-01-01-01-02.wav", "03-01-01-02-01-01-01.wav", "01-01-03-01-01-01-01.wav"});
    CHECK(names_of(scan.excluded) == std::set<std::string>{"03-01-02-01-01-01-01.wav", "03-02-03-01-01-01-01.wav"});
    for (const auto& skipped : scan.excluded)
        if (skipped.path.extension() == ".wav" && skipped.path.stem() == "03-01-02-01-01-01-01")
            CHECK(skipped.reason == "the same recording as 03-01-02-01-01-01-01.flac, in another format");

    CorpusOptions song;
    song.include_ravdess_song = true;
    const CorpusScan with_song = read_corpus(Corpus::ravdess, dir.path(), song);
    CHECK(with_song.items.size() == 2);
    CHECK(item_named(with_song, "03-02-03-01-01-01-01.wav").fields.at("vocal_channel") == "song");

    test::TempDir tess;
    test::write_tiny_wav(tess.path() / "OAF_angry" / "OAF_back_angry.wav");
    test::write_tiny_wav(tess.path() / "OAF_angry" / "OAF_bar_sad.wav");      // sad in the angry folder
    test::write_tiny_wav(tess.path() / "YAF_angry" / "OAF_bar_angry.wav");    // OAF in a YAF folder
    test::write_tiny_wav(tess.path() / "flat" / "YAF_dog_ps.wav");            // a flattened copy is fine
    const CorpusScan tess_scan = read_corpus(Corpus::tess, tess.path());
    CHECK(tess_scan.items.size() == 2);
    CHECK(names_of(tess_scan.unmatched) == std::set<std::string>{"OAF_bar_sad.wav", "OAF_bar_angry.wav"});
}

TEST_CASE("missing, empty and foreign folders are errors that say what was found") {
    test::TempDir dir;
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::ravdess, dir.path() / "nope"), doctest::Contains("does not exist"),
                         std::runtime_error);
    test::write_text(dir.path() / "file.txt", "x");
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::ravdess, dir.path() / "file.txt"), doctest::Contains("is not a folder"),
                         std::runtime_error);

    test::TempDir empty;
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::tess, empty.path()), doctest::Contains("holds no audio files"),
                         std::runtime_error);

    test::TempDir foreign;
    test::write_tiny_wav(foreign.path() / "OAF_back_angry.wav");
    CHECK_THROWS_WITH_AS(read_corpus(Corpus::ravdess, foreign.path()),
                         doctest::Contains("1 audio files do not follow the naming MM-VC-EE-II-SS-RR-AA"),
                         std::runtime_error);
}

TEST_CASE("corpus names, aliases and audio extensions") {
    CHECK(parse_corpus_name("RAVDESS") == Corpus::ravdess);
    CHECK(parse_corpus_name("cremad") == Corpus::crema_d);
    CHECK(parse_corpus_name("Emo-DB") == Corpus::emodb);
    for (Corpus corpus : {Corpus::ravdess, Corpus::tess, Corpus::crema_d, Corpus::savee, Corpus::emodb, Corpus::nemo, Corpus::ased})
        CHECK(parse_corpus_name(corpus_name(corpus)) == corpus);
    CHECK(corpus_language(Corpus::nemo) == "Polish");
    CHECK(corpus_language(Corpus::ased) == "Amharic");
    CHECK_THROWS_WITH_AS(parse_corpus_name("iemocap"), doctest::Contains("use one of ravdess, tess"),
                         std::invalid_argument);
}
