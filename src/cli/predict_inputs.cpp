#include "cli/predict_inputs.h"

#include <charconv>
#include <iostream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <xxhash.h>

namespace ser::cli {

namespace fs = std::filesystem;

namespace {

std::uint64_t hash_name(std::string_view file) { return XXH64(file.data(), file.size(), 0); }

}  // namespace

Shard parse_shard(std::string_view text) {
    Shard s;
    const auto slash = text.find('/');
    const auto bad = [&] {
        return std::invalid_argument("--shard " + std::string(text) +
                                     ": give I/N with 0 <= I < N, e.g. 0/4 for the first of four shards");
    };
    if (slash == std::string_view::npos) throw bad();
    const auto a = std::from_chars(text.data(), text.data() + slash, s.index);
    const auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), s.count);
    if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() || b.ptr != text.data() + text.size() ||
        s.count < 1 || s.index < 0 || s.index >= s.count)
        throw bad();
    return s;
}

int shard_of(std::string_view file, int count) {
    return static_cast<int>(hash_name(file) % static_cast<std::uint64_t>(count));
}

void DoneFiles::read(const fs::path& jsonl) {
    std::ifstream in(jsonl, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + jsonl.string() + " to resume from it");
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (in.eof()) break;  // no '\n': cut short by an interrupted write, and dropped on resume
        const auto record = nlohmann::json::parse(line, nullptr, false);
        if (!record.is_object() || !record.contains("file") || !record["file"].is_string())
            throw std::runtime_error(jsonl.string() + " line " + std::to_string(number) +
                                     " is not a ser predict record with a \"file\": --resume continues only "
                                     "--format jsonl output");
        hashes_.insert(hash_name(record["file"].get<std::string>()));
    }
    if (in.bad()) throw std::runtime_error("cannot read " + jsonl.string());
}

bool DoneFiles::contains(std::string_view file) const { return hashes_.count(hash_name(file)) > 0; }

PredictInputs::PredictInputs(InputOptions options) : options_(std::move(options)) {
    if (options_.manifest.empty()) return;
    if (options_.manifest == "-") {
        manifest_ = std::make_unique<ManifestReader>(std::cin, "standard input");
        return;
    }
    manifest_file_.open(options_.manifest, std::ios::binary);
    if (!manifest_file_) throw std::runtime_error("cannot open the manifest " + options_.manifest);
    manifest_ = std::make_unique<ManifestReader>(manifest_file_, options_.manifest);
    manifest_dir_ = fs::path(options_.manifest).parent_path();
}

PredictInputs::~PredictInputs() = default;

std::optional<PredictInput> PredictInputs::next_listed() {
    for (;;) {
        if (walk_) {
            if (auto found = walk_->next()) return PredictInput{found->path, found->path, found->error};
            walk_.reset();
        }
        if (arg_ < options_.paths.size()) {
            const std::string& path = options_.paths[arg_++];
            std::error_code ec;
            if (fs::is_directory(path, ec)) {
                walk_ = std::make_unique<FolderWalk>(path, options_.extensions);
                continue;
            }
            return PredictInput{path, path, {}};  // a file, or a name whose error the analysis reports
        }
        if (!manifest_) return std::nullopt;
        auto entry = manifest_->next();
        if (!entry) return std::nullopt;
        const fs::path listed(entry->path);
        return PredictInput{entry->path, listed.is_relative() ? manifest_dir_ / listed : listed, entry->error};
    }
}

bool PredictInputs::wanted(const PredictInput& input) {
    if (options_.shard.count > 1 && shard_of(input.file, options_.shard.count) != options_.shard.index) return false;
    if (options_.done && options_.done->contains(input.file)) {
        ++skipped_done_;
        return false;
    }
    return true;
}

std::optional<PredictInput> PredictInputs::next() {
    while (auto input = next_listed())
        if (wanted(*input)) return input;
    return std::nullopt;
}

}  // namespace ser::cli
