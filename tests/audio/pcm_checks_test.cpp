#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/pcm_checks.h"

TEST_SUITE("audio") {

TEST_CASE("require_finite accepts finite audio and names the first bad sample") {
    std::vector<float> pcm(100, 0.25f);
    CHECK_NOTHROW(ser::require_finite(pcm, "mic"));
    CHECK_NOTHROW(ser::require_finite({}, "empty"));
    pcm[42] = std::numeric_limits<float>::quiet_NaN();
    pcm[77] = std::numeric_limits<float>::infinity();
    try {
        ser::require_finite(pcm, "mic block");
        FAIL("a NaN went through");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(message.find("mic block") != std::string::npos);
        CHECK(message.find("sample 42") != std::string::npos);
        CHECK(message.find("NaN") != std::string::npos);
    }
    pcm[42] = 0.0f;
    CHECK_THROWS_WITH_AS(ser::require_finite(pcm, "x"), doctest::Contains("sample 77 is infinite"), std::invalid_argument);
    pcm[77] = -std::numeric_limits<float>::infinity();
    CHECK_THROWS_AS(ser::require_finite(pcm, "x"), std::invalid_argument);
}

}
