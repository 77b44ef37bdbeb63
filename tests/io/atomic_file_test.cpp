#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>

#include "io/atomic_file.h"

namespace {

std::filesystem::path fresh_dir(const char* name) {
    const auto dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::size_t files_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

// Lowers the file-size limit for the rest of the scope, as a full disk would stop writes.
struct FileSizeLimit {
    rlimit saved{};
    explicit FileSizeLimit(rlim_t bytes) {
        getrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, SIG_IGN);  // a failed write, not a killed process
        rlimit tight = saved;
        tight.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &tight);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &saved); }
};

}  // namespace

TEST_SUITE("io") {

TEST_CASE("write_file_atomically replaces the file and leaves nothing else behind") {
    const auto dir = fresh_dir("ser_atomic_ok");
    ser::write_file_atomically(dir / "model.json", "first");
    ser::write_file_atomically(dir / "model.json", "second");
    CHECK(ser::read_text_file(dir / "model.json") == "second");
    CHECK(files_in(dir) == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a write that runs out of space fails clearly, keeps the old file and leaves no partial one") {
    const auto dir = fresh_dir("ser_atomic_full");
    ser::write_file_atomically(dir / "model.json", "the old model");
    {
        const FileSizeLimit limit(1024);
        CHECK_THROWS_WITH_AS(ser::write_file_atomically(dir / "model.json", std::string(64 * 1024, 'x')),
                             doctest::Contains("model.json"), std::runtime_error);
        CHECK_THROWS_AS(ser::write_file_atomically(dir / "new.json", std::string(64 * 1024, 'x')), std::runtime_error);
    }
    CHECK(ser::read_text_file(dir / "model.json") == "the old model");
    CHECK_FALSE(std::filesystem::exists(dir / "new.json"));
    CHECK(files_in(dir) == 1);  // no temporary left over
    std::filesystem::remove_all(dir);
}

TEST_CASE("why_not_writable: a folder, a missing folder, or nothing wrong") {
    const auto dir = std::filesystem::temp_directory_path();
    CHECK(ser::why_not_writable(dir / "model.json").empty());
    CHECK(ser::why_not_writable(dir).find("is a folder") != std::string::npos);
    CHECK(ser::why_not_writable("/nonexistent-dir/model.json").find("the folder /nonexistent-dir does not exist") !=
          std::string::npos);
    CHECK_FALSE(ser::why_not_writable("").empty());
}

TEST_CASE("unwritable places and missing files are errors naming the path") {
    CHECK_THROWS_WITH_AS(ser::write_file_atomically("/nonexistent-dir/model.json", "x"), doctest::Contains("/nonexistent-dir"),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(ser::read_text_file("/nonexistent-dir/model.json"), doctest::Contains("/nonexistent-dir/model.json"),
                         std::runtime_error);
}

}
