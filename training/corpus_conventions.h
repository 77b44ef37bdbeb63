#pragma once
// One name parser per corpus (corpus_<name>.cpp). Each fills speaker, gender, emotion,
// corpus_code and fields; the caller fills path and corpus and applies the label options.

#include <map>
#include <string>

#include "training/corpus.h"

namespace ser::detail {

NameMatch match_ravdess(const std::filesystem::path& path, const CorpusOptions& options);
NameMatch match_tess(const std::filesystem::path& path);
NameMatch match_crema_d(const std::filesystem::path& path);
NameMatch match_savee(const std::filesystem::path& path);
NameMatch match_emodb(const std::filesystem::path& path);
NameMatch match_ased(const std::filesystem::path& path);

// One row of nEMO's data.tsv, fields trimmed (its speaker ids are space-padded).
struct NemoRow {
    std::string emotion, speaker, gender, sentence, age;
};
using NemoTable = std::map<std::string, NemoRow>;  // by file stem: file_id says .wav

// Throws std::runtime_error naming `source` when the header lacks a needed column.
NemoTable parse_nemo_table(const std::string& text, const std::string& source);
// Without a table (a bare file name) the gender stays unknown; with one, the row must agree
// with the name.
NameMatch match_nemo(const std::filesystem::path& path, const NemoTable* table);

NameMatch unmatched(std::string reason);
NameMatch matched(CorpusItem item);

// "03" -> 3 for a string of exactly `digits` ASCII digits; -1 otherwise.
int parse_fixed_digits(std::string_view text, std::size_t digits);

}  // namespace ser::detail
