// SAVEE: four male speakers DC, JE, JK, KL; emotion prefix a, d, f, h, n, sa, su and a
// two-digit sentence number (01-15, neutral 01-30). Copies name files DC_a01.wav; the
// original release keeps a01.wav inside a DC/ folder. Both are read.

#include <map>
#include <set>
#include <string>

#include "training/corpus_conventions.h"

namespace ser::detail {

NameMatch match_savee(const std::filesystem::path& path) {
    static const std::set<std::string> speakers = {"DC", "JE", "JK", "KL"};
    static const std::map<std::string, std::string> emotions = {{"a", "angry"},   {"d", "disgust"},  {"f", "fearful"},
                                                                {"h", "happy"},   {"n", "neutral"},  {"sa", "sad"},
                                                                {"su", "surprised"}};
    const std::string stem = path.stem().string();
    std::string speaker;
    std::string sentence = stem;
    if (const std::size_t underscore = stem.find('_'); underscore != std::string::npos) {
        speaker = stem.substr(0, underscore);
        sentence = stem.substr(underscore + 1);
    } else {
        speaker = path.parent_path().filename().string();
        if (!speakers.count(speaker)) return unmatched("no speaker: neither DC_a01-style nor inside a DC/JE/JK/KL folder");
    }
    if (!speakers.count(speaker)) return unmatched("speaker '" + speaker + "' is not DC, JE, JK or KL");
    if (sentence.size() < 3) return unmatched("not <emotion><nn> like a01 or sa12");
    const std::string code = sentence.substr(0, sentence.size() - 2);
    const int number = parse_fixed_digits(std::string_view(sentence).substr(sentence.size() - 2), 2);
    const auto emotion = emotions.find(code);
    if (emotion == emotions.end()) return unmatched("emotion '" + code + "' is not a, d, f, h, n, sa or su");
    const int last = code == "n" ? 30 : 15;
    if (number < 1 || number > last)
        return unmatched("sentence number '" + sentence.substr(sentence.size() - 2) + "' is not 01.." + std::to_string(last));

    CorpusItem item;
    item.speaker = "savee:" + speaker;
    item.gender = Gender::male;
    item.emotion = emotion->second;
    item.corpus_code = code;
    item.fields = {{"sentence", sentence}};
    return matched(std::move(item));
}

}  // namespace ser::detail
