#include "cli/clip_labels.h"

#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/manifest_reader.h"

namespace ser::cli {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

// The manifest reader's CSV (quoted fields, a spreadsheet's byte-order mark), with a
// `label` column beside `path`.
std::vector<LabelledClip> read_clip_labels(const std::filesystem::path& csv) {
    std::istringstream in(read_text_file(csv));
    const std::string where = csv.string();
    ManifestReader reader(in, where, {"label"});
    std::vector<LabelledClip> clips;
    auto entry = reader.next();  // reads the header too: only then is the kind known
    if (!reader.is_csv() || !reader.has_column(0))
        throw std::runtime_error(where + ": the first line must be the header \"path,label\"");
    for (; entry; entry = reader.next()) {
        const std::string at = where + " line " + std::to_string(reader.line());
        LabelledClip clip{trim(entry->error.empty() ? entry->path : ""), trim(reader.values()[0])};
        if (clip.path.empty() || clip.label.empty()) throw std::runtime_error(at + ": both the path and the label are needed");
        if (clip.path.is_relative()) clip.path = csv.parent_path() / clip.path;
        clips.push_back(std::move(clip));
    }
    if (clips.empty()) throw std::runtime_error(where + ": no clips listed below the header");
    return clips;
}

}  // namespace ser::cli
