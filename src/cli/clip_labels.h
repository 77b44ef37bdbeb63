#pragma once
// The labelled clips `ser adapt --labels` reads: a CSV file whose header has the columns
// `path` and `label` (others ignored), one clip per record, read by the batch manifest's
// reader (io/manifest_reader.h); relative paths resolve against the CSV's own folder.

#include <filesystem>
#include <string>
#include <vector>

namespace ser::cli {

struct LabelledClip {
    std::filesystem::path path;
    std::string label;
};

// Throws std::runtime_error naming the file and line and saying how to fix it.
std::vector<LabelledClip> read_clip_labels(const std::filesystem::path& csv);

}  // namespace ser::cli
