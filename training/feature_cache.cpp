#include "training/feature_cache.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <xxhash.h>

#include "io/atomic_file.h"

namespace ser {

namespace {

static_assert(std::endian::native == std::endian::little, "cache entries are stored little-endian as in memory");

// Entry layout: magic, the key (32 hex digits), rows, cols (u32), XXH3-64 of the values,
// then rows*cols float32 values.
constexpr char magic[8] = {'S', 'E', 'R', 'F', 'E', 'A', 'T', '1'};
constexpr std::size_t key_size = 32;
constexpr std::size_t header_size = sizeof magic + key_size + 4 + 4 + 8;
// Part of every key: bump it when the entry format or key recipe changes.
constexpr std::string_view key_version = "ser-feature-cache-1";

void hash_text(XXH3_state_t* state, std::string_view text) {
    const std::uint64_t size = text.size();
    XXH3_128bits_update(state, &size, sizeof size);  // length-prefixed: ("ab","c") != ("a","bc")
    XXH3_128bits_update(state, text.data(), text.size());
}

template <class T>
void put(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

FeatureCache::FeatureCache(std::filesystem::path folder) : folder_(std::move(folder)) {
    if (folder_.empty()) throw std::invalid_argument("the feature cache needs a folder");
}

std::string FeatureCache::key(const std::filesystem::path& audio_file, std::string_view feature_config_json,
                              std::string_view augmentation_key) const {
    std::ifstream in(audio_file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + audio_file.string() + ": " + std::strerror(errno));
    XXH3_state_t* state = XXH3_createState();
    if (!state) throw std::bad_alloc();
    XXH3_128bits_reset(state);
    hash_text(state, key_version);
    std::vector<char> buffer(1 << 20);
    std::uint64_t size = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        XXH3_128bits_update(state, buffer.data(), got);
        size += got;
    }
    const bool failed = in.bad();
    XXH3_128bits_update(state, &size, sizeof size);
    hash_text(state, feature_config_json);
    hash_text(state, augmentation_key);
    const XXH128_hash_t digest = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    if (failed) throw std::runtime_error("cannot read " + audio_file.string() + ": read error");
    char hex[key_size + 1];
    std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(digest.high64),
                  static_cast<unsigned long long>(digest.low64));
    return hex;
}

std::filesystem::path FeatureCache::entry_path(const std::string& key) const {
    if (key.size() != key_size || key.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw std::invalid_argument("'" + key + "' is not a feature cache key (32 hex digits)");
    return folder_ / key.substr(0, 2) / (key + ".feat");
}

std::optional<FeatureMatrix> FeatureCache::load(const std::string& key) {
    const auto path = entry_path(key);
    std::ifstream in(path, std::ios::binary);
    const auto miss = [this]() -> std::optional<FeatureMatrix> {
        ++misses_;
        return std::nullopt;
    };
    if (!in) return miss();
    char header[header_size];
    if (!in.read(header, header_size)) return miss();
    if (std::memcmp(header, magic, sizeof magic) != 0 || std::memcmp(header + sizeof magic, key.data(), key_size) != 0)
        return miss();
    std::uint32_t rows, cols;
    std::uint64_t checksum;
    std::memcpy(&rows, header + sizeof magic + key_size, 4);
    std::memcpy(&cols, header + sizeof magic + key_size + 4, 4);
    std::memcpy(&checksum, header + sizeof magic + key_size + 8, 8);
    if (rows > INT32_MAX || cols > INT32_MAX) return miss();
    const std::uint64_t count = static_cast<std::uint64_t>(rows) * cols;
    std::error_code ec;
    const auto file_size = std::filesystem::file_size(path, ec);
    if (ec || file_size != header_size + count * sizeof(float)) return miss();

    FeatureMatrix matrix;
    matrix.rows = static_cast<int>(rows);
    matrix.cols = static_cast<int>(cols);
    matrix.values.resize(count);
    if (!in.read(reinterpret_cast<char*>(matrix.values.data()), static_cast<std::streamsize>(count * sizeof(float))))
        return miss();
    if (XXH3_64bits(matrix.values.data(), count * sizeof(float)) != checksum) return miss();
    ++hits_;
    return matrix;
}

void FeatureCache::store(const std::string& key, const FeatureMatrix& features) {
    if (features.rows < 0 || features.cols < 0 ||
        features.values.size() != static_cast<std::size_t>(features.rows) * static_cast<std::size_t>(features.cols))
        throw std::invalid_argument("feature cache: a " + std::to_string(features.rows) + "x" + std::to_string(features.cols) +
                                    " matrix cannot hold " + std::to_string(features.values.size()) + " values");
    for (std::size_t i = 0; i < features.values.size(); ++i)
        if (!std::isfinite(features.values[i]))
            throw std::invalid_argument("feature cache: value " + std::to_string(i) + " is not finite; not storing it");
    const auto path = entry_path(key);
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot create the feature cache folder " + path.parent_path().string() + ": " + ec.message());

    std::string bytes;
    bytes.reserve(header_size + features.values.size() * sizeof(float));
    bytes.append(magic, sizeof magic);
    bytes.append(key);
    put(bytes, static_cast<std::uint32_t>(features.rows));
    put(bytes, static_cast<std::uint32_t>(features.cols));
    put(bytes, static_cast<std::uint64_t>(XXH3_64bits(features.values.data(), features.values.size() * sizeof(float))));
    bytes.append(reinterpret_cast<const char*>(features.values.data()), features.values.size() * sizeof(float));
    write_file_atomically(path, bytes);
}

FeatureMatrix FeatureCache::get_or_compute(const std::filesystem::path& audio_file, std::string_view feature_config_json,
                                           std::string_view augmentation_key,
                                           const std::function<FeatureMatrix()>& compute) {
    const std::string entry = key(audio_file, feature_config_json, augmentation_key);
    if (auto cached = load(entry)) return std::move(*cached);
    FeatureMatrix computed = compute();
    store(entry, computed);
    return computed;
}

}  // namespace ser
