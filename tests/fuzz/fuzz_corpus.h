#pragma once
// The libFuzzer corpus of a target (tests/fuzz/corpus/<target>/: its seeds and every input
// that once crashed it), for the doctests that replay it in the ordinary suites, natively,
// under node and under the sanitizers, where no fuzzer is built.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace ser::test {

inline std::vector<std::filesystem::path> fuzz_corpus(const std::string& target) {
    const auto dir = source_dir() / "tests/fuzz/corpus" / target;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE_MESSAGE(!files.empty(), dir.string() << " holds no corpus files");
    return files;
}

inline std::string read_corpus_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace ser::test
