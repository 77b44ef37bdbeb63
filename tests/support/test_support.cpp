#include "support/test_support.h"

#include <cstdio>

namespace ser::test {

std::filesystem::path shared_dir() { return SER_SHARED_DIR; }
std::filesystem::path source_dir() { return SER_SOURCE_DIR; }

bool shared_available(const std::string& relative, const char* where) {
    const auto path = shared_dir() / relative;
    if (std::filesystem::exists(path)) return true;
    std::printf("SKIPPED %s: %s is absent (tests that need ../shared run only beside it)\n", where,
                path.string().c_str());
    return false;
}

}  // namespace ser::test
