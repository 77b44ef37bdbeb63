// ASED v1 (Amharic): folders 01Neutral ... 05Angry, names <e><k>-<sentence>-<repetition>-
// <gender>-<speaker>, e.g. n1-07-01-02-53: emotion letter and class number (n1 neutral,
// f2 fearful, h3 happy, s4 sad, a5 angry), sentence, repetition 01/02, gender 01 female /
// 02 male, speaker 01-65. The release writes one letter in capitals (S4-04-02-01-29) and
// gives five speakers one file of the other gender: read_corpus settles each speaker's
// gender by the majority of their files.

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "training/corpus_conventions.h"

namespace ser::detail {

namespace {

struct AsedEmotion {
    const char* code;    // letter and class number
    const char* folder;  // the release's folder
    const char* label;
};

constexpr AsedEmotion ased_emotions[] = {{"n1", "01Neutral", "neutral"},
                                         {"f2", "02Fearful", "fearful"},
                                         {"h3", "03Happy", "happy"},
                                         {"s4", "04Sad", "sad"},
                                         {"a5", "05Angry", "angry"}};

// True for a folder named like the release's: two digits, then letters.
bool is_ased_folder(const std::string& folder) {
    return folder.size() > 2 && std::isdigit(static_cast<unsigned char>(folder[0])) &&
           std::isdigit(static_cast<unsigned char>(folder[1])) && std::isalpha(static_cast<unsigned char>(folder[2]));
}

}  // namespace

NameMatch match_ased(const std::filesystem::path& path) {
    const std::string stem = path.stem().string();
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= stem.size();) {
        const std::size_t end = std::min(stem.find('-', start), stem.size());
        parts.push_back(stem.substr(start, end - start));
        start = end + 1;
    }
    if (parts.size() != 5) return unmatched("not five fields <e><k>-<sentence>-<repetition>-<gender>-<speaker>");
    std::string code = parts[0];
    for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const AsedEmotion* emotion = nullptr;
    for (const auto& e : ased_emotions)
        if (code == e.code) emotion = &e;
    if (!emotion) return unmatched("emotion '" + parts[0] + "' is not n1, f2, h3, s4 or a5");
    const int sentence = parse_fixed_digits(parts[1], 2);
    const int repetition = parse_fixed_digits(parts[2], 2);
    const int gender = parse_fixed_digits(parts[3], 2);
    const int speaker = parse_fixed_digits(parts[4], 2);
    if (sentence < 1) return unmatched("sentence '" + parts[1] + "' is not 01, 02, ...");
    if (repetition != 1 && repetition != 2) return unmatched("repetition '" + parts[2] + "' is not 01 or 02");
    if (gender != 1 && gender != 2) return unmatched("gender '" + parts[3] + "' is not 01 (female) or 02 (male)");
    if (speaker < 1 || speaker > 65) return unmatched("speaker '" + parts[4] + "' is not 01..65");

    const std::string folder = path.parent_path().filename().string();
    if (is_ased_folder(folder) && folder != emotion->folder)
        return unmatched("the name says " + std::string(emotion->label) + " but the file is in " + folder);

    CorpusItem item;
    item.speaker = "ased:" + parts[4];
    item.gender = gender == 1 ? Gender::female : Gender::male;
    item.emotion = emotion->label;
    item.corpus_code = emotion->code;
    item.fields = {{"sentence", parts[1]}, {"repetition", parts[2]}};
    return matched(std::move(item));
}

}  // namespace ser::detail
