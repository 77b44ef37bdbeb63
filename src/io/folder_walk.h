#pragma once
// The files below a folder, one at a time: a stack of open directories (memory grows with
// the depth, never with the number of files), in the file system's own order (stable for an
// unchanged folder, but not sorted: sorting would need the whole listing). Folder links are
// not followed (no cycles); links to files are. A folder that cannot be read, or a link
// with a matching name whose file is gone, becomes one entry with an error, and the walk
// goes on with the rest.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/listed_path.h"

namespace ser {

class FolderWalk {
public:
    // extensions: lower case, no dot (audio_file_extensions() for every audio file).
    FolderWalk(const std::filesystem::path& root, std::vector<std::string> extensions);

    // The next matching file (root / path inside it), or nullopt when the walk is done.
    std::optional<ListedPath> next();

private:
    std::vector<std::filesystem::directory_iterator> open_;
    std::vector<std::string> extensions_;
    std::optional<std::filesystem::path> pending_;  // the root, until first opened
};

}  // namespace ser
