#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ser {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int err) {
    throw std::runtime_error("cannot write " + path.string() + ": " + what + " (" + std::strerror(err) + ")");
}

// The length of the file up to its last '\n' (0 without one; -1 on a read error), read
// backwards from the end, so a long file is not read whole.
off_t end_of_last_line(int fd) {
    off_t end = lseek(fd, 0, SEEK_END);
    char block[1 << 16];
    while (end > 0) {
        const off_t start = end > static_cast<off_t>(sizeof block) ? end - static_cast<off_t>(sizeof block) : 0;
        const ssize_t n = pread(fd, block, static_cast<std::size_t>(end - start), start);
        if (n != end - start) return -1;
        for (ssize_t i = n; i > 0; --i)
            if (block[i - 1] == '\n') return start + i;
        end = start;
    }
    return end;
}

}  // namespace

std::string why_not_writable(const std::filesystem::path& path) {
    std::error_code ec;
    if (path.empty()) return "no file name given";
    if (std::filesystem::is_directory(path, ec))
        return path.string() + " is a folder: give a file name inside it, e.g. " + (path / "out.json").string();
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
    if (!std::filesystem::is_directory(folder, ec)) return "the folder " + folder.string() + " does not exist: create it first";
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
        return "cannot write into the folder " + folder.string() + " (" + std::strerror(errno) + ")";
    return {};
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    // Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on "." + string + "...".
    std::string name = ".";
    name += path.filename().string();
    name += ".XXXXXX";
    std::string tmpl = (dir / name).string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) fail(path, "cannot create a temporary file in " + dir.string(), errno);

    auto abandon = [&](const std::string& what) {
        const int err = errno;
        close(fd);
        unlink(tmpl.c_str());
        fail(path, what, err);
    };
    const char* data = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            abandon("write failed");
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (fsync(fd) != 0) abandon("flush to disk failed");
    if (fchmod(fd, 0644) != 0) abandon("cannot set permissions");
    if (close(fd) != 0) {
        const int err = errno;
        unlink(tmpl.c_str());
        fail(path, "close failed", err);
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        unlink(tmpl.c_str());
        fail(path, "rename failed", err);
    }
}

std::filesystem::path AtomicLineFile::partial_path(const std::filesystem::path& path) {
    std::filesystem::path partial = path;
    partial += ".partial";
    return partial;
}

std::filesystem::path AtomicLineFile::resumable(const std::filesystem::path& path) {
    if (std::filesystem::exists(partial_path(path))) return partial_path(path);
    if (std::filesystem::exists(path)) return path;
    return {};
}

AtomicLineFile::AtomicLineFile(const std::filesystem::path& path, bool resume)
    : path_(path), partial_(partial_path(path)) {
    const std::filesystem::path earlier = resume ? resumable(path) : std::filesystem::path();
    if (earlier == path_ && std::rename(path_.c_str(), partial_.c_str()) != 0)
        fail(path_, "cannot move it aside to continue it", errno);
    fd_ = open(partial_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | (earlier.empty() ? O_TRUNC : 0), 0644);
    if (fd_ < 0) fail(partial_, "cannot open it", errno);
    if (!earlier.empty()) {  // keep whole lines only: a crash may have cut the last one short
        const off_t keep = end_of_last_line(fd_);
        if (keep < 0 || ftruncate(fd_, keep) != 0 || lseek(fd_, 0, SEEK_END) < 0) {
            const int err = errno;
            close(fd_);
            fail(partial_, "cannot drop its unfinished last line", err);
        }
    }
}

AtomicLineFile::~AtomicLineFile() {
    if (fd_ >= 0) close(fd_);
}

void AtomicLineFile::write(std::string_view records) {
    const char* data = records.data();
    std::size_t left = records.size();
    while (left > 0) {
        const ssize_t n = ::write(fd_, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(partial_, "write failed", errno);
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

void AtomicLineFile::commit() {
    if (fsync(fd_) != 0) fail(partial_, "flush to disk failed", errno);
    const int result = close(fd_);
    fd_ = -1;
    if (result != 0) fail(partial_, "close failed", errno);
    if (std::rename(partial_.c_str(), path_.c_str()) != 0) fail(path_, "rename failed", errno);
}

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + path.string());
    return text.str();
}

}  // namespace ser
