#include "io/folder_walk.h"

#include <system_error>

#include "io/audio_file.h"

namespace ser {

namespace fs = std::filesystem;

FolderWalk::FolderWalk(const fs::path& root, std::vector<std::string> extensions)
    : extensions_(std::move(extensions)), pending_(root) {}

std::optional<ListedPath> FolderWalk::next() {
    for (;;) {
        if (pending_) {
            const fs::path dir = std::move(*pending_);
            pending_.reset();
            std::error_code ec;
            fs::directory_iterator it(dir, ec);
            if (ec) return ListedPath{dir.string(), "cannot read the folder " + dir.string() + ": " + ec.message()};
            open_.push_back(std::move(it));
        }
        if (open_.empty()) return std::nullopt;
        fs::directory_iterator& it = open_.back();
        if (it == fs::directory_iterator()) {
            open_.pop_back();
            continue;
        }
        const fs::directory_entry entry = *it;
        std::error_code ec;
        it.increment(ec);
        if (ec) {  // the listing broke off: report it and leave this folder
            open_.pop_back();
            return ListedPath{entry.path().parent_path().string(),
                              "cannot read the folder " + entry.path().parent_path().string() + ": " + ec.message()};
        }
        std::error_code type_ec;
        if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
            pending_ = entry.path();
        } else if (has_extension(entry.path(), extensions_)) {
            if (entry.is_regular_file(type_ec)) return ListedPath{entry.path().string(), {}};
            // A link whose file is gone is an input the user meant and cannot have: say so.
            if (entry.is_symlink(type_ec) && !entry.exists(type_ec))
                return ListedPath{entry.path().string(), "the link " + entry.path().string() + " points to " +
                                                             fs::read_symlink(entry.path(), type_ec).string() +
                                                             ", which does not exist"};
        }
    }
}

}  // namespace ser
