// EMO-DB (Berlin): <speaker><text><emotion><version>, e.g. 03a01Wa: speaker 03, text a01,
// emotion letter from the German word (W Wut anger, L Langeweile boredom, E Ekel disgust,
// A Angst fear, F Freude happiness, T Trauer sadness, N neutral), version a, b, c...

#include <algorithm>
#include <map>
#include <string>

#include "training/corpus_conventions.h"

namespace ser::detail {

NameMatch match_emodb(const std::filesystem::path& path) {
    // Speakers and sexes as the database's documentation lists them.
    static const std::map<int, Gender> speakers = {
        {3, Gender::male},    {8, Gender::female},  {9, Gender::female},  {10, Gender::male}, {11, Gender::male},
        {12, Gender::male},   {13, Gender::female}, {14, Gender::female}, {15, Gender::male}, {16, Gender::female}};
    static const std::map<char, std::string> emotions = {{'W', "angry"}, {'L', "boredom"}, {'E', "disgust"},
                                                         {'A', "fearful"}, {'F', "happy"}, {'T', "sad"},
                                                         {'N', "neutral"}};
    static const char* texts[] = {"a01", "a02", "a04", "a05", "a07", "b01", "b02", "b03", "b09", "b10"};

    const std::string stem = path.stem().string();
    if (stem.size() != 7) return unmatched("not <speaker><text><emotion><version> like 03a01Wa");
    const int speaker = parse_fixed_digits(std::string_view(stem).substr(0, 2), 2);
    const std::string text = stem.substr(2, 3);
    const char code = stem[5];
    const char version = stem[6];
    const auto sex = speakers.find(speaker);
    if (sex == speakers.end()) return unmatched("speaker '" + stem.substr(0, 2) + "' is not one of EMO-DB's ten");
    if (std::find(std::begin(texts), std::end(texts), text) == std::end(texts))
        return unmatched("text '" + text + "' is not one of EMO-DB's ten");
    const auto emotion = emotions.find(code);
    if (emotion == emotions.end()) return unmatched(std::string("emotion letter '") + code + "' is not W, L, E, A, F, T or N");
    if (version < 'a' || version > 'z') return unmatched(std::string("version '") + version + "' is not a letter a-z");

    CorpusItem item;
    item.speaker = "emodb:" + stem.substr(0, 2);
    item.gender = sex->second;
    item.emotion = emotion->second;
    item.corpus_code = std::string(1, code);
    item.fields = {{"text", text}, {"version", std::string(1, version)}};
    return matched(std::move(item));
}

}  // namespace ser::detail
