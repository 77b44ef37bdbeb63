#pragma once
// What tests share: where ../shared lives, and a loud skip when it is absent — a failure
// under CI, where every test must run.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "model/model.h"

namespace ser::test {

// ../shared beside the checkout, or the directory the environment's SER_SHARED names (the
// node tests read the same variable).
std::filesystem::path shared_dir();
std::filesystem::path source_dir();
// weights/default.json, the model the repository ships (it is part of the checkout).
Model shipped_model();

// True when the environment's CI is set to anything but "", "0" or "false".
bool running_under_ci();

enum class SharedData { present, skip, fail };

// Whether ../shared/<relative> is there, and if not, whether the test skips (printing one
// clear "SKIPPED" line naming the test's place and the missing path, so a skip is never
// mistaken for a pass) or, under CI, fails.
SharedData check_shared(const std::string& relative, const char* where);

}  // namespace ser::test

// Returns from the current test case, with a message, when ../shared/<relative> is missing;
// under CI the test case fails instead.
#define SER_REQUIRE_SHARED(relative)                                                                   \
    switch (::ser::test::check_shared(relative, __FILE__ ":" DOCTEST_TOSTR(__LINE__))) {               \
        case ::ser::test::SharedData::present: break;                                                  \
        case ::ser::test::SharedData::skip: return;                                                    \
        case ::ser::test::SharedData::fail:                                                            \
            FAIL("../shared/" << (relative) << " is absent under CI: these tests must run there"); \
    }
