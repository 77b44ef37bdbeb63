#include "support/test_support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>

namespace ser::test {

std::filesystem::path shared_dir() {
    const char* override_dir = std::getenv("SER_SHARED");
    return override_dir && *override_dir ? std::filesystem::path(override_dir) : std::filesystem::path(SER_SHARED_DIR);
}

std::filesystem::path source_dir() { return SER_SOURCE_DIR; }

Model shipped_model() {
    std::ifstream in(source_dir() / "weights/default.json", std::ios::binary);
    REQUIRE_MESSAGE(in, "weights/default.json is missing: it is part of the repository");
    std::ostringstream text;
    text << in.rdbuf();
    return load_model(text.str());
}

bool running_under_ci() {
    const char* ci = std::getenv("CI");
    if (!ci) return false;
    const std::string_view value(ci);
    return !value.empty() && value != "0" && value != "false";
}

SharedData check_shared(const std::string& relative, const char* where) {
    const auto path = shared_dir() / relative;
    if (std::filesystem::exists(path)) return SharedData::present;
    if (running_under_ci()) {
        std::printf("FAILED %s: %s is absent, and CI is set: tests that need ../shared must run under CI\n", where,
                    path.string().c_str());
        return SharedData::fail;
    }
    std::printf("SKIPPED %s: %s is absent (tests that need ../shared run only beside it)\n", where,
                path.string().c_str());
    return SharedData::skip;
}

}  // namespace ser::test
