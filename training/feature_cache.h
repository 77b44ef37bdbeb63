#pragma once
// Features computed once and kept on disk, so epochs and repeated runs do not recompute
// them. An entry is named by a hash of the audio file's bytes, the feature config's JSON
// text and an augmentation key: a changed file, config or augmentation misses.
//
// Why the file's bytes and not (path, size, mtime): copies that keep mtimes (cp -p,
// rsync -a, tar, unzip) and edits within the clock's resolution would otherwise return
// stale features without a sound. Hashing costs one read of a file that a miss decodes
// anyway and, hot in the page cache, is far cheaper than decoding it (docs/EVALUATION.md
// has the measurement). Identical recordings share one entry, rightly.

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "features/feature_matrix.h"

namespace ser {

class FeatureCache {
public:
    // The folder is created on the first store.
    explicit FeatureCache(std::filesystem::path folder);

    // 32 hex digits (XXH3-128). Pass the config as the JSON text of to_json(FeatureConfig)
    // so the key does not depend on the struct's layout, and as augmentation key "" for
    // clean audio or something that identifies the augmentation exactly (its config and
    // seed). Throws std::runtime_error when the file cannot be read.
    std::string key(const std::filesystem::path& audio_file, std::string_view feature_config_json,
                    std::string_view augmentation_key) const;

    // A missing, truncated or corrupt entry is a miss, never an error.
    std::optional<FeatureMatrix> load(const std::string& key);

    // Written atomically (never a partial entry). Throws std::invalid_argument for a matrix
    // whose shape and values disagree or that holds a non-finite value, std::runtime_error
    // when the folder cannot be written.
    void store(const std::string& key, const FeatureMatrix& features);

    // load(key(...)), or compute() and store it.
    FeatureMatrix get_or_compute(const std::filesystem::path& audio_file, std::string_view feature_config_json,
                                 std::string_view augmentation_key, const std::function<FeatureMatrix()>& compute);

    std::filesystem::path entry_path(const std::string& key) const;
    std::size_t hits() const { return hits_; }
    std::size_t misses() const { return misses_; }

private:
    std::filesystem::path folder_;
    std::atomic<std::size_t> hits_{0};
    std::atomic<std::size_t> misses_{0};
};

}  // namespace ser
