// The skip for missing ../shared must never hide a test under CI.

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "support/test_support.h"

namespace {

// Sets an environment variable for one scope, restoring what was there.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_SUITE("support") {

TEST_CASE("missing ../shared skips outside CI and fails under CI") {
    using ser::test::SharedData;
    const ScopedEnv shared("SER_SHARED", (ser::test::source_dir() / "no-such-shared-dir").c_str());
    {
        const ScopedEnv ci("CI", nullptr);
        CHECK_FALSE(ser::test::running_under_ci());
        CHECK(ser::test::check_shared("data/ravdess", "here") == SharedData::skip);
    }
    for (const char* off : {"", "0", "false"}) {
        const ScopedEnv ci("CI", off);
        CHECK(ser::test::check_shared("data/ravdess", "here") == SharedData::skip);
    }
    for (const char* on : {"true", "1", "yes"}) {
        const ScopedEnv ci("CI", on);
        CHECK(ser::test::running_under_ci());
        CHECK(ser::test::check_shared("data/ravdess", "here") == SharedData::fail);
    }
}

TEST_CASE("present data is present, under CI or not") {
    const ScopedEnv shared("SER_SHARED", ser::test::source_dir().c_str());  // any directory that exists
    for (const char* ci_value : {"true", static_cast<const char*>(nullptr)}) {
        const ScopedEnv ci("CI", ci_value);
        CHECK(ser::test::check_shared("tests", "here") == ser::test::SharedData::present);
    }
}

}

// Run only by the ctest pair in tests/support/CMakeLists.txt (skipped otherwise): through a
// whole test binary, with the environment set from outside, a missing ../shared skips
// without CI and fails with it.
TEST_CASE("canary: needs ../shared" * doctest::skip()) {
    SER_REQUIRE_SHARED("data");
    CHECK(true);
}
