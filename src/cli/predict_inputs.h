#pragma once
// What `ser predict` analyses, one entry at a time so that millions stream: the arguments
// (files as given; folders walked for the chosen extensions), then the manifest's entries
// (relative ones opened from the manifest's folder), less what another shard owns and what
// an earlier run already wrote. Nothing here holds the whole list.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "io/folder_walk.h"
#include "io/manifest_reader.h"

namespace ser::cli {

struct Shard {
    int index = 0;  // 0 <= index < count
    int count = 1;
};

// "I/N" with 0 <= I < N. Throws std::invalid_argument saying what is expected.
Shard parse_shard(std::string_view text);

// Which shard a file belongs to: a hash of its name as listed (XXH64), so the split does not
// depend on the order or the length of the list, nor on the machine.
int shard_of(std::string_view file, int count);

// The names an earlier JSON Lines output holds (hashed: 8 bytes a file), read line by line.
// A last line without its '\n' is ignored (an interrupted write). Throws std::runtime_error
// naming the file and line for a line that is not a record with a "file".
class DoneFiles {
public:
    void read(const std::filesystem::path& jsonl);
    bool contains(std::string_view file) const;
    std::size_t size() const { return hashes_.size(); }

private:
    std::unordered_set<std::uint64_t> hashes_;
};

struct PredictInput {
    std::string file;             // as listed: the name records carry
    std::filesystem::path open;   // where to read it
    std::string error;            // a listing that failed (an unreadable folder, a bad manifest row)
};

struct InputOptions {
    std::vector<std::string> paths;      // files and folders
    std::string manifest;                // a file, "-" for standard input, or empty
    std::vector<std::string> extensions; // for folders: lower case, no dot
    Shard shard;
    const DoneFiles* done = nullptr;     // skipped when given
};

class PredictInputs {
public:
    // Throws std::runtime_error when the manifest cannot be opened.
    explicit PredictInputs(InputOptions options);
    ~PredictInputs();

    std::optional<PredictInput> next();
    std::size_t skipped_done() const { return skipped_done_; }

private:
    std::optional<PredictInput> next_listed();
    bool wanted(const PredictInput& input);

    InputOptions options_;
    std::size_t arg_ = 0;
    std::unique_ptr<FolderWalk> walk_;
    std::ifstream manifest_file_;
    std::unique_ptr<ManifestReader> manifest_;
    std::filesystem::path manifest_dir_;
    std::size_t skipped_done_ = 0;
};

}  // namespace ser::cli
