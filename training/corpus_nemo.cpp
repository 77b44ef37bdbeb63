// nEMO (Polish): samples/<speaker>_<emotion>_<n>, e.g. EB0_anger_1, and the release's own
// data.tsv, which gives each file's emotion, sentence, speaker (space-padded) and gender.
// Its file_id column still names the files .wav, while copies may be converted (.opus,
// .flac): rows are matched by stem.

#include <cctype>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "training/corpus_conventions.h"

namespace ser::detail {

namespace {

const std::map<std::string, std::string>& nemo_emotions() {
    static const std::map<std::string, std::string> emotions = {{"anger", "angry"},    {"fear", "fearful"},
                                                                {"happiness", "happy"}, {"neutral", "neutral"},
                                                                {"sadness", "sad"},     {"surprised", "surprised"}};
    return emotions;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::vector<std::string> tab_fields(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, '\t');) fields.push_back(field);
    if (!line.empty() && line.back() == '\t') fields.emplace_back();
    return fields;
}

bool is_speaker_id(const std::string& id) {
    return id.size() == 3 && std::isupper(static_cast<unsigned char>(id[0])) &&
           std::isupper(static_cast<unsigned char>(id[1])) && std::isdigit(static_cast<unsigned char>(id[2]));
}

}  // namespace

NemoTable parse_nemo_table(const std::string& text, const std::string& source) {
    std::stringstream in(text);
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error(source + " is empty: expected nEMO's data.tsv with a header row");
    const std::vector<std::string> header = tab_fields(trimmed(line));
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < header.size(); ++c) column[header[c]] = c;
    for (const char* needed : {"file_id", "emotion", "speaker_id", "gender"})
        if (!column.count(needed))
            throw std::runtime_error(source + " has no column \"" + needed +
                                     "\": expected nEMO's data.tsv (file_id, emotion, ..., speaker_id, gender, age)");
    auto field = [&](const std::vector<std::string>& row, const char* name) {
        const auto it = column.find(name);
        return it != column.end() && it->second < row.size() ? trimmed(row[it->second]) : std::string();
    };
    NemoTable table;
    for (int number = 2; std::getline(in, line); ++number) {
        if (trimmed(line).empty()) continue;
        const std::vector<std::string> row = tab_fields(line);
        const std::string file = field(row, "file_id");
        if (file.empty()) throw std::runtime_error(source + " line " + std::to_string(number) + " has no file_id");
        NemoRow r{field(row, "emotion"), field(row, "speaker_id"), field(row, "gender"), field(row, "normalized_text"),
                  field(row, "age")};
        table[std::filesystem::path(file).stem().string()] = std::move(r);
    }
    return table;
}

NameMatch match_nemo(const std::filesystem::path& path, const NemoTable* table) {
    const std::string stem = path.stem().string();
    const std::size_t first = stem.find('_');
    const std::size_t last = stem.rfind('_');
    if (first == std::string::npos || first == last) return unmatched("not <speaker>_<emotion>_<n> like EB0_anger_1");
    const std::string speaker = stem.substr(0, first);
    const std::string code = stem.substr(first + 1, last - first - 1);
    const std::string number = stem.substr(last + 1);
    if (!is_speaker_id(speaker)) return unmatched("speaker '" + speaker + "' is not two capitals and a digit like EB0");
    const auto emotion = nemo_emotions().find(code);
    if (emotion == nemo_emotions().end())
        return unmatched("emotion '" + code + "' is not one of anger, fear, happiness, neutral, sadness, surprised");
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number[0] == '0')
        return unmatched("'" + number + "' is not a clip number 1, 2, ...");

    CorpusItem item;
    item.speaker = "nemo:" + speaker;
    item.emotion = emotion->second;
    item.corpus_code = code;
    item.fields = {{"number", number}};
    if (table) {
        const auto row = table->find(stem);
        if (row == table->end()) return unmatched("not listed in data.tsv");
        if (row->second.emotion != code)
            return unmatched("the name says " + code + " but data.tsv says " + row->second.emotion);
        if (row->second.speaker != speaker)
            return unmatched("the name says speaker " + speaker + " but data.tsv says " + row->second.speaker);
        if (row->second.gender == "female") item.gender = Gender::female;
        else if (row->second.gender == "male") item.gender = Gender::male;
        else return unmatched("data.tsv gives gender '" + row->second.gender + "', not female or male");
        item.fields["sentence"] = row->second.sentence;
        item.fields["age"] = row->second.age;
    }
    return matched(std::move(item));
}

}  // namespace ser::detail
