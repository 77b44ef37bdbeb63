// RAVDESS: MM-VC-EE-II-SS-RR-AA (modality, vocal channel, emotion, intensity, statement,
// repetition, actor), inside Actor_AA folders. Odd actors are male, even are female.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "training/corpus_conventions.h"

namespace ser::detail {

namespace {

constexpr const char* ravdess_emotions[] = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"};

std::string two_digits(int value) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d", value);
    return text;
}

}  // namespace

NameMatch match_ravdess(const std::filesystem::path& path, const CorpusOptions& options) {
    const std::string stem = path.stem().string();
    std::vector<int> parts;
    std::size_t start = 0;
    while (start <= stem.size()) {
        const std::size_t end = std::min(stem.find('-', start), stem.size());
        parts.push_back(parse_fixed_digits(std::string_view(stem).substr(start, end - start), 2));
        start = end + 1;
    }
    if (parts.size() != 7 || std::find(parts.begin(), parts.end(), -1) != parts.end())
        return unmatched("not seven two-digit fields MM-VC-EE-II-SS-RR-AA");
    const int modality = parts[0], channel = parts[1], emotion = parts[2], intensity = parts[3];
    const int statement = parts[4], repetition = parts[5], actor = parts[6];

    if (modality != 3) return unmatched("modality " + two_digits(modality) + " is not 03 (audio-only)");
    if (channel != 1 && channel != 2) return unmatched("vocal channel " + two_digits(channel) + " is not 01 or 02");
    if (emotion < 1 || emotion > 8) return unmatched("emotion " + two_digits(emotion) + " is not 01..08");
    if (channel == 2 && emotion > 6) return unmatched("song has no emotion " + two_digits(emotion));
    if (intensity != 1 && intensity != 2) return unmatched("intensity " + two_digits(intensity) + " is not 01 or 02");
    if (emotion == 1 && intensity == 2) return unmatched("neutral has no strong intensity (02)");
    if (statement != 1 && statement != 2) return unmatched("statement " + two_digits(statement) + " is not 01 or 02");
    if (repetition != 1 && repetition != 2) return unmatched("repetition " + two_digits(repetition) + " is not 01 or 02");
    if (actor < 1 || actor > 24) return unmatched("actor " + two_digits(actor) + " is not 01..24");

    const std::string folder = path.parent_path().filename().string();
    if (folder.rfind("Actor_", 0) == 0 && parse_fixed_digits(std::string_view(folder).substr(6), 2) != actor)
        return unmatched("the name says actor " + two_digits(actor) + " but the file is in " + folder);

    CorpusItem item;
    item.speaker = "ravdess:" + two_digits(actor);
    item.gender = actor % 2 == 1 ? Gender::male : Gender::female;
    item.emotion = ravdess_emotions[emotion - 1];
    item.corpus_code = two_digits(emotion);
    item.fields = {{"intensity", intensity == 1 ? "normal" : "strong"},
                   {"statement", two_digits(statement)},
                   {"repetition", two_digits(repetition)},
                   {"vocal_channel", channel == 1 ? "speech" : "song"}};
    if (channel == 2 && !options.include_ravdess_song) {
        NameMatch match = matched(std::move(item));
        match.outcome = NameMatch::Outcome::excluded;
        match.reason = "song (vocal channel 02) is left out: set include_ravdess_song to read it";
        return match;
    }
    return matched(std::move(item));
}

}  // namespace ser::detail
