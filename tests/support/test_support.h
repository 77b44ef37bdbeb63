#pragma once
// What tests share: where ../shared lives, and a loud skip when it is absent.

#include <filesystem>
#include <string>

namespace ser::test {

std::filesystem::path shared_dir();
std::filesystem::path source_dir();

// True when ../shared/<relative> exists. When it does not, prints one clear "SKIPPED" line
// naming the test's place and the missing path, so a skip is never mistaken for a pass.
bool shared_available(const std::string& relative, const char* where);

}  // namespace ser::test

// Returns from the current test case, with a message, when ../shared/<relative> is missing.
#define SER_REQUIRE_SHARED(relative) \
    if (!::ser::test::shared_available(relative, __FILE__ ":" DOCTEST_TOSTR(__LINE__))) return
