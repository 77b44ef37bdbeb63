#include <doctest/doctest.h>

#include <stdexcept>

#include <cmath>
#include <fstream>

#include "training/feature_cache.h"
#include "training_test_support.h"

using namespace ser;

namespace {

FeatureMatrix sample_matrix() {
    FeatureMatrix m;
    m.rows = 3;
    m.cols = 4;
    for (int i = 0; i < 12; ++i) m.values.push_back(0.25f * static_cast<float>(i) - 1.0f);
    return m;
}

void overwrite_byte(const std::filesystem::path& path, std::streamoff at, char value) {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(at);
    file.put(value);
}

}  // namespace

TEST_CASE("feature cache: store, load, and keys that change with the audio, config and augmentation") {
    test::TempDir dir;
    const auto audio = dir.path() / "clip.wav";
    test::write_tiny_wav(audio);
    FeatureCache cache(dir.path() / "cache");
    const std::string config = R"({"preset":"default","n_mels":40})";

    const std::string key = cache.key(audio, config, "");
    CHECK(key.size() == 32);
    CHECK(key == cache.key(audio, config, ""));
    CHECK(key != cache.key(audio, R"({"preset":"default","n_mels":64})", ""));
    CHECK(key != cache.key(audio, config, "seed 3"));
    CHECK(cache.key(audio, "ab", "c") != cache.key(audio, "a", "bc"));

    CHECK_FALSE(cache.load(key).has_value());
    cache.store(key, sample_matrix());
    const auto loaded = cache.load(key);
    REQUIRE(loaded.has_value());
    CHECK(loaded->rows == 3);
    CHECK(loaded->cols == 4);
    CHECK(loaded->values == sample_matrix().values);
    CHECK(cache.hits() == 1);
    CHECK(cache.misses() == 1);

    // A copy of the same bytes elsewhere shares the entry; one changed sample does not.
    const auto copy = dir.path() / "elsewhere" / "copy.wav";
    std::filesystem::create_directories(copy.parent_path());
    std::filesystem::copy_file(audio, copy);
    CHECK(cache.key(copy, config, "") == key);
    const auto mtime = std::filesystem::last_write_time(audio);
    overwrite_byte(audio, 100, 0x55);
    std::filesystem::last_write_time(audio, mtime);  // as cp -p or rsync -a would leave it
    CHECK(cache.key(audio, config, "") != key);
}

TEST_CASE("feature cache: get_or_compute computes once") {
    test::TempDir dir;
    const auto audio = dir.path() / "clip.wav";
    test::write_tiny_wav(audio);
    FeatureCache cache(dir.path() / "cache");
    int computed = 0;
    const auto compute = [&] {
        ++computed;
        return sample_matrix();
    };
    const FeatureMatrix first = cache.get_or_compute(audio, "{}", "", compute);
    const FeatureMatrix second = cache.get_or_compute(audio, "{}", "", compute);
    CHECK(computed == 1);
    CHECK(first.values == second.values);
    cache.get_or_compute(audio, "{\"x\":1}", "", compute);
    CHECK(computed == 2);
    // A second cache object over the same folder (the next run) hits too.
    FeatureCache next_run(dir.path() / "cache");
    next_run.get_or_compute(audio, "{}", "", compute);
    CHECK(computed == 2);
    CHECK(next_run.hits() == 1);
}

TEST_CASE("feature cache: damaged entries are misses, bad matrices and files are errors") {
    test::TempDir dir;
    const auto audio = dir.path() / "clip.wav";
    test::write_tiny_wav(audio);
    FeatureCache cache(dir.path() / "cache");
    const std::string key = cache.key(audio, "{}", "");
    cache.store(key, sample_matrix());
    const auto entry = cache.entry_path(key);
    REQUIRE(std::filesystem::exists(entry));

    overwrite_byte(entry, static_cast<std::streamoff>(std::filesystem::file_size(entry)) - 2, 0x7f);
    CHECK_FALSE(cache.load(key).has_value());  // checksum
    cache.store(key, sample_matrix());
    CHECK(cache.load(key).has_value());
    std::filesystem::resize_file(entry, std::filesystem::file_size(entry) - 4);
    CHECK_FALSE(cache.load(key).has_value());  // truncated
    cache.store(key, sample_matrix());
    overwrite_byte(entry, 45, 0x7f);  // the header claims a huge matrix
    CHECK_FALSE(cache.load(key).has_value());
    overwrite_byte(entry, 0, 'X');
    CHECK_FALSE(cache.load(key).has_value());

    FeatureMatrix wrong = sample_matrix();
    wrong.cols = 5;
    CHECK_THROWS_AS(cache.store(key, wrong), std::invalid_argument);
    FeatureMatrix nan = sample_matrix();
    nan.values[3] = std::nanf("");
    CHECK_THROWS_WITH_AS(cache.store(key, nan), doctest::Contains("not finite"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(cache.key(dir.path() / "missing.wav", "{}", ""), doctest::Contains("missing.wav"),
                         std::runtime_error);
    CHECK_THROWS_AS(cache.entry_path("../../etc/passwd"), std::invalid_argument);
    CHECK_THROWS_AS(FeatureCache(""), std::invalid_argument);

    // A cache folder that cannot be created (a file is in the way) is an error naming it.
    test::write_text(dir.path() / "blocked", "x");
    FeatureCache blocked(dir.path() / "blocked");
    CHECK_THROWS_AS(blocked.store(key, sample_matrix()), std::runtime_error);
}
