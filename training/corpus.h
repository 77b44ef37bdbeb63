#pragma once
// Corpus readers: walk a folder, recognise each file by its corpus's naming convention, and
// map it to the one label set with its speaker and gender. A file whose name fits no
// convention is listed with the reason, never guessed.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "io/audio_file.h"  // is_audio_file_name
#include "training/labels.h"

namespace ser {

enum class Corpus { ravdess, tess, crema_d, savee, emodb, nemo, ased };
enum class Gender { male, female, unknown };

// "ravdess", "tess", "crema-d", "savee", "emodb", "nemo", "ased"
std::string_view corpus_name(Corpus corpus);
// The language spoken in the corpus, with the variety where the corpus states it, e.g.
// "English (North American)", "Polish", "Amharic": model files record it so a model's card
// says which languages it has heard.
std::string_view corpus_language(Corpus corpus);
// Accepts those names in any case, plus "cremad", "crema_d", "emo-db"; throws
// std::invalid_argument listing the known names otherwise.
Corpus parse_corpus_name(std::string_view name);

struct CorpusItem {
    std::filesystem::path path;
    Corpus corpus = Corpus::ravdess;
    std::string speaker;      // corpus-qualified, e.g. "ravdess:07", "tess:OAF", "nemo:EB0", "ased:53"
    Gender gender = Gender::unknown;
    std::string emotion;      // canonical emotion of the recording (calm stays calm)
    std::string label;        // the training label: emotion after LabelOptions
    std::string corpus_code;  // the corpus's own emotion code: "02", "ps", "ANG", "sa", "W", "anger", "n1"
    // Corpus-specific facts, e.g. RAVDESS "intensity" (normal/strong), "statement",
    // "repetition"; TESS "word"; CREMA-D "sentence", "level"; SAVEE "sentence"; EMO-DB "text",
    // "version"; nEMO "number", "sentence", "age"; ASED "sentence", "repetition".
    std::map<std::string, std::string> fields;
    // Clips that are the same recording under other names share an id >= 0 (found from the
    // audio by load_clip_set; -1: no double). Every split keeps such a group on one side.
    int duplicate_group = -1;
};

struct SkippedFile {
    std::filesystem::path path;
    std::string reason;
};

struct CorpusScan {
    std::vector<CorpusItem> items;                 // sorted by path
    std::vector<SkippedFile> unmatched;            // audio files whose name fits no convention
    std::vector<SkippedFile> excluded;             // fit it, but left out by an option or as a duplicate
    std::vector<std::filesystem::path> non_audio;  // other files (readme, csv, ...), ignored
};

struct CorpusOptions {
    LabelOptions labels;
    bool include_ravdess_song = false;  // RAVDESS song files (vocal channel 02)
};

// What one file name says under a corpus's convention.
struct NameMatch {
    enum class Outcome { matched, unmatched, excluded };
    Outcome outcome = Outcome::unmatched;
    CorpusItem item;     // complete when matched
    std::string reason;  // why, when unmatched or excluded
};

// Reads one file name (and its parent folder's name where the convention uses it). Never
// touches the file system, so an nEMO name alone leaves the gender unknown: read_corpus
// takes it from the corpus's data.tsv.
NameMatch match_corpus_file(Corpus corpus, const std::filesystem::path& path, const CorpusOptions& options = {});

// Walks `dir` recursively (directory symlinks inside it are not followed, so a link loop
// cannot hang the walk). nEMO needs its data.tsv in `dir` (or, when `dir` is its samples/
// folder, beside it). A speaker whose files disagree about their gender (five in ASED) gets
// the gender most of them give. Throws std::runtime_error when `dir` is missing, is not a
// folder, or it or a folder inside cannot be read, when nEMO's data.tsv is missing or
// malformed, or when it holds no file of this corpus (the message shows what was found
// instead).
CorpusScan read_corpus(Corpus corpus, const std::filesystem::path& dir, const CorpusOptions& options = {});

}  // namespace ser
