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

// Why `path` cannot be the target of such a write (it is a folder; its folder is missing or
// not writable), or "" when it can. Commands check their outputs with it before the work,
// so an hour of training is not lost to a typo in --out.
std::string why_not_writable(const std::filesystem::path& path);

std::string read_text_file(const std::filesystem::path& path);

// The same promise for output written record by record over a long run: records go to
// PATH.partial, each in whole '\n'-terminated lines handed to the kernel at once, and
// commit() flushes it to disk and renames it to PATH. A run that stops early leaves PATH
// untouched and PATH.partial holding whole records; opening with `resume` continues it (or
// a committed PATH), after dropping a last line cut short by a crash.
class AtomicLineFile {
public:
    // Throws std::runtime_error naming the file and the reason.
    AtomicLineFile(const std::filesystem::path& path, bool resume);
    ~AtomicLineFile();  // without commit(): closes, leaving PATH.partial for a resume
    AtomicLineFile(const AtomicLineFile&) = delete;
    AtomicLineFile& operator=(const AtomicLineFile&) = delete;

    void write(std::string_view records);
    void commit();

    // Where a run to `path` keeps its records until commit().
    static std::filesystem::path partial_path(const std::filesystem::path& path);
    // The records of an earlier run that a resume continues: PATH.partial, else a committed
    // PATH, else an empty path.
    static std::filesystem::path resumable(const std::filesystem::path& path);

private:
    std::filesystem::path path_, partial_;
    int fd_ = -1;
};

}  // namespace ser
