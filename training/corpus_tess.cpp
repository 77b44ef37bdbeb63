// TESS: <speaker>_<word>_<emotion> in folders <speaker>_<Emotion>. Two female talkers, OAF
// (older) and YAF (younger). The release spells its folders inconsistently (OAF_Fear,
// OAF_Pleasant_surprise, YAF_pleasant_surprised) and names one file OA_bite_neutral.

#include <cctype>
#include <map>
#include <string>

#include "training/corpus_conventions.h"

namespace ser::detail {

namespace {

std::string lowercase(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

const std::map<std::string, std::string>& tess_emotions() {
    static const std::map<std::string, std::string> emotions = {
        {"angry", "angry"}, {"disgust", "disgust"}, {"fear", "fearful"}, {"happy", "happy"},
        {"neutral", "neutral"}, {"ps", "surprised"}, {"sad", "sad"}};
    return emotions;
}

// The folder's emotion in the file names' spelling, or "" when the folder is not a TESS one.
std::string folder_emotion(const std::string& folder_lower) {
    if (folder_lower == "pleasant_surprise" || folder_lower == "pleasant_surprised") return "ps";
    return tess_emotions().count(folder_lower) ? folder_lower : "";
}

bool is_word(const std::string& text) {
    if (text.empty()) return false;
    for (char c : text)
        if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

NameMatch match_tess(const std::filesystem::path& path) {
    const std::string stem = path.stem().string();
    const std::size_t first = stem.find('_');
    const std::size_t last = stem.rfind('_');
    if (first == std::string::npos || first == last) return unmatched("not <speaker>_<word>_<emotion>");
    std::string speaker = stem.substr(0, first);
    const std::string word = stem.substr(first + 1, last - first - 1);
    const std::string code = stem.substr(last + 1);

    if (speaker == "OA" || speaker == "YA") speaker += "F";  // the release's OA_bite_neutral
    if (speaker != "OAF" && speaker != "YAF") return unmatched("speaker '" + stem.substr(0, first) + "' is not OAF or YAF");
    if (!is_word(word)) return unmatched("word '" + word + "' is not a single word");
    const auto emotion = tess_emotions().find(code);
    if (emotion == tess_emotions().end())
        return unmatched("emotion '" + code + "' is not one of angry, disgust, fear, happy, neutral, ps, sad");

    // Files sit in <speaker>_<Emotion> folders; a flattened copy has none, which is fine, but a
    // TESS folder that contradicts the name means a misplaced file.
    const std::string folder = path.parent_path().filename().string();
    const std::string folder_lower = lowercase(folder);
    if (folder_lower.size() > 4 && (folder_lower.rfind("oaf_", 0) == 0 || folder_lower.rfind("yaf_", 0) == 0)) {
        const std::string folder_code = folder_emotion(folder_lower.substr(4));
        if (folder_code.empty()) return unmatched("folder " + folder + " names no TESS emotion");
        if (lowercase(speaker) != folder_lower.substr(0, 3) || folder_code != code)
            return unmatched("the name says " + speaker + " " + code + " but the file is in " + folder);
    }

    CorpusItem item;
    item.speaker = "tess:" + speaker;
    item.gender = Gender::female;
    item.emotion = emotion->second;
    item.corpus_code = code;
    item.fields = {{"word", word}};
    return matched(std::move(item));
}

}  // namespace ser::detail
