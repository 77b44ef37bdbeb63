#pragma once
// Writes that never leave a partial file behind: the text goes to a temporary file beside
// the target, is flushed to disk, and only then renamed over it. On any failure (disk full,
// no permission) the temporary is removed and the old target, if any, is untouched.

#include <filesystem>
#include <string>
#include <string_view>

namespace ser {

// Throws std::runtime_error naming the path and the reason.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

std::string read_text_file(const std::filesystem::path& path);

}  // namespace ser
