// CREMA-D: <actor>_<sentence>_<emotion>_<level>, e.g. 1001_DFA_ANG_XX. Actors 1001-1091;
// their sex is not in the name but in the release's VideoDemographics.csv (43 female, 48
// male), recorded below.

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "training/corpus_conventions.h"

namespace ser::detail {

namespace {

// Female actors per VideoDemographics.csv; every other actor of 1001-1091 is male.
constexpr std::array<int, 43> crema_d_female_actors = {
    1002, 1003, 1004, 1006, 1007, 1008, 1009, 1010, 1012, 1013, 1018, 1020, 1021, 1024, 1025,
    1028, 1029, 1030, 1037, 1043, 1046, 1047, 1049, 1052, 1053, 1054, 1055, 1056, 1058, 1060,
    1061, 1063, 1072, 1073, 1074, 1075, 1076, 1078, 1079, 1082, 1084, 1089, 1091};

constexpr const char* crema_d_sentences[] = {"IEO", "TIE", "IOM", "IWW", "TAI", "MTI",
                                             "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"};

}  // namespace

NameMatch match_crema_d(const std::filesystem::path& path) {
    static const std::map<std::string, std::string> emotions = {{"ANG", "angry"}, {"DIS", "disgust"},
                                                                {"FEA", "fearful"}, {"HAP", "happy"},
                                                                {"NEU", "neutral"}, {"SAD", "sad"}};
    static const std::map<std::string, std::string> levels = {
        {"LO", "low"}, {"MD", "medium"}, {"HI", "high"}, {"XX", "unspecified"}};

    const std::string stem = path.stem().string();
    if (stem.size() != 15 || stem[4] != '_' || stem[8] != '_' || stem[12] != '_')
        return unmatched("not <actor>_<sentence>_<emotion>_<level> like 1001_DFA_ANG_XX");
    const int actor = parse_fixed_digits(std::string_view(stem).substr(0, 4), 4);
    const std::string sentence = stem.substr(5, 3);
    const std::string code = stem.substr(9, 3);
    const std::string level = stem.substr(13, 2);
    if (actor < 1001 || actor > 1091) return unmatched("actor '" + stem.substr(0, 4) + "' is not 1001..1091");
    if (std::find(std::begin(crema_d_sentences), std::end(crema_d_sentences), sentence) == std::end(crema_d_sentences))
        return unmatched("sentence '" + sentence + "' is not one of CREMA-D's 12");
    const auto emotion = emotions.find(code);
    if (emotion == emotions.end()) return unmatched("emotion '" + code + "' is not ANG, DIS, FEA, HAP, NEU or SAD");
    const auto level_name = levels.find(level);
    if (level_name == levels.end()) return unmatched("level '" + level + "' is not LO, MD, HI or XX");

    CorpusItem item;
    item.speaker = "crema-d:" + std::to_string(actor);
    const bool female = std::find(crema_d_female_actors.begin(), crema_d_female_actors.end(), actor) !=
                        crema_d_female_actors.end();
    item.gender = female ? Gender::female : Gender::male;
    item.emotion = emotion->second;
    item.corpus_code = code;
    item.fields = {{"sentence", sentence}, {"level", level_name->second}};
    return matched(std::move(item));
}

}  // namespace ser::detail
