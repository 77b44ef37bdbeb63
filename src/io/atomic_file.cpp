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

}  // namespace

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

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + path.string());
    return text.str();
}

}  // namespace ser
