#pragma once
// One name parser per corpus (corpus_<name>.cpp). Each fills path, corpus, speaker, gender,
// emotion, corpus_code and fields; the caller applies the label options.

#include "training/corpus.h"

namespace ser::detail {

NameMatch match_ravdess(const std::filesystem::path& path, const CorpusOptions& options);
NameMatch match_tess(const std::filesystem::path& path);
NameMatch match_crema_d(const std::filesystem::path& path);
NameMatch match_savee(const std::filesystem::path& path);
NameMatch match_emodb(const std::filesystem::path& path);

NameMatch unmatched(std::string reason);
NameMatch matched(CorpusItem item);

// "03" -> 3 for a string of exactly `digits` ASCII digits; -1 otherwise.
int parse_fixed_digits(std::string_view text, std::size_t digits);

}  // namespace ser::detail
