#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "audio/pcm_checks.h"

TEST_SUITE("audio") {

TEST_CASE("require_usable_pcm accepts finite audio and names the first bad sample") {
    std::vector<float> pcm(100, 0.25f);
    CHECK_NOTHROW(ser::require_usable_pcm(pcm, "mic"));
    CHECK_NOTHROW(ser::require_usable_pcm({}, "empty"));
    pcm[42] = std::numeric_limits<float>::quiet_NaN();
    pcm[77] = std::numeric_limits<float>::infinity();
    try {
        ser::require_usable_pcm(pcm, "mic block");
        FAIL("a NaN went through");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(message.find("mic block") != std::string::npos);
        CHECK(message.find("sample 42") != std::string::npos);
        CHECK(message.find("NaN") != std::string::npos);
    }
    pcm[42] = 0.0f;
    CHECK_THROWS_WITH_AS(ser::require_usable_pcm(pcm, "x"), doctest::Contains("sample 77 is infinite"), std::invalid_argument);
    pcm[77] = -std::numeric_limits<float>::infinity();
    CHECK_THROWS_AS(ser::require_usable_pcm(pcm, "x"), std::invalid_argument);
}

TEST_CASE("require_usable_pcm takes float headroom and integer-scale floats, refuses absurd magnitudes") {
    for (float ok : {1.5f, -8.0f, 32768.0f, ser::max_pcm_magnitude, -ser::max_pcm_magnitude}) {
        CAPTURE(ok);
        std::vector<float> pcm(10, 0.1f);
        pcm[3] = ok;
        CHECK_NOTHROW(ser::require_usable_pcm(pcm, "file"));
    }
    for (float bad : {1e10f, -1e30f, std::numeric_limits<float>::max()}) {
        CAPTURE(bad);
        std::vector<float> pcm(10, 0.1f);
        pcm[6] = bad;
        CHECK_THROWS_WITH_AS(ser::require_usable_pcm(pcm, "decoded audio"),
                             doctest::Contains("decoded audio: sample 6 is"), std::invalid_argument);
        CHECK_THROWS_WITH_AS(ser::require_usable_pcm(pcm, "decoded audio"), doctest::Contains("rescale"),
                             std::invalid_argument);
    }
}

}
