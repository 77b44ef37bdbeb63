#include "cli/clip_labels.h"

#include <sstream>
#include <stdexcept>

#include "io/atomic_file.h"

namespace ser::cli {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

std::vector<LabelledClip> read_clip_labels(const std::filesystem::path& csv) {
    std::istringstream in(read_text_file(csv));
    const std::string where = csv.string();
    std::string line;
    if (!std::getline(in, line) || trim(line) != "path,label")
        throw std::runtime_error(where + ": the first line must be the header \"path,label\"");
    std::vector<LabelledClip> clips;
    for (int number = 2; std::getline(in, line); ++number) {
        if (trim(line).empty()) continue;
        const auto comma = line.rfind(',');
        const std::string at = where + " line " + std::to_string(number);
        if (comma == std::string::npos) throw std::runtime_error(at + ": expected \"path,label\"");
        LabelledClip clip{trim(line.substr(0, comma)), trim(line.substr(comma + 1))};
        if (clip.path.empty() || clip.label.empty()) throw std::runtime_error(at + ": both the path and the label are needed");
        if (clip.path.is_relative()) clip.path = csv.parent_path() / clip.path;
        clips.push_back(std::move(clip));
    }
    if (clips.empty()) throw std::runtime_error(where + ": no clips listed below the header");
    return clips;
}

}  // namespace ser::cli
