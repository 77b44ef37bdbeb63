// A speaker's lean in the answers: none before any speech, divided out after, shrunk by the
// prior while little speech is learnt, forgotten on reset; bad input is refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "training/speaker_baseline.h"

using namespace ser;

namespace {

int argmax(const std::vector<float>& p) {
    return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
}

// A voice the model hears as "label 0" whatever is said: label 0 gets 0.55 on top of what the
// clip says (0.4 on the spoken label).
std::vector<float> leaning_answer(int spoken) {
    std::vector<float> p(4, 0.05f / 2.0f);
    p[0] += 0.55f;
    p[static_cast<std::size_t>(spoken)] += 0.4f;
    const float sum = std::accumulate(p.begin(), p.end(), 0.0f);
    for (float& v : p) v /= sum;
    return p;
}

}  // namespace

TEST_CASE("speaker baseline: changes nothing until speech is learnt") {
    SpeakerBaseline b(4);
    std::vector<float> p = leaning_answer(2);
    const std::vector<float> before = p;
    b.apply(p);
    CHECK(p == before);
    CHECK(b.learnt_s() == 0.0);
    for (double v : b.lean()) CHECK(v == 0.0);
}

TEST_CASE("speaker baseline: a voice's lean toward one label is taken out when it speaks several emotions") {
    SpeakerBaseline b(4, 0.0);
    for (int round = 0; round < 3; ++round)
        for (int spoken = 0; spoken < 4; ++spoken) b.add(leaning_answer(spoken), 2.0);
    CHECK(b.learnt_s() == doctest::Approx(24.0));
    CHECK(b.lean()[0] > 0.5);
    for (int spoken = 1; spoken < 4; ++spoken) {
        std::vector<float> p = leaning_answer(spoken);
        CHECK(argmax(p) == 0);  // the lean wins unadjusted
        b.apply(p);
        CHECK(argmax(p) == spoken);
        CHECK(std::accumulate(p.begin(), p.end(), 0.0f) == doctest::Approx(1.0f));
    }
}

TEST_CASE("speaker baseline: the prior keeps the first seconds from moving answers much; reset forgets") {
    SpeakerBaseline quick(4, 0.0), shrunk(4, 20.0);
    for (int spoken = 0; spoken < 4; ++spoken) {
        quick.add(leaning_answer(spoken), 1.0);
        shrunk.add(leaning_answer(spoken), 1.0);
    }
    CHECK(shrunk.lean()[0] == doctest::Approx(quick.lean()[0] * 4.0 / 24.0));
    shrunk.reset();
    CHECK(shrunk.learnt_s() == 0.0);
    CHECK(shrunk.lean()[0] == 0.0);
}

TEST_CASE("speaker baseline: zero probabilities stay finite; wrong sizes and bad seconds are refused") {
    SpeakerBaseline b(3);
    b.add(std::vector<float>{1.0f, 0.0f, 0.0f}, 1.0);
    std::vector<float> p = {0.0f, 1.0f, 0.0f};
    b.apply(p);
    for (float v : p) CHECK(std::isfinite(v));
    CHECK(argmax(p) == 1);
    CHECK_THROWS_AS(b.add(std::vector<float>{0.5f, 0.5f}, 1.0), std::invalid_argument);
    CHECK_THROWS_AS(b.add(std::vector<float>{0.2f, 0.3f, 0.5f}, -1.0), std::invalid_argument);
    CHECK_THROWS_AS(b.add(std::vector<float>{0.2f, 0.3f, 0.5f}, std::nan("")), std::invalid_argument);
    std::vector<float> two = {0.5f, 0.5f};
    CHECK_THROWS_AS(b.apply(two), std::invalid_argument);
    CHECK_THROWS_AS(SpeakerBaseline(1), std::invalid_argument);
    CHECK_THROWS_AS(SpeakerBaseline(4, -1.0), std::invalid_argument);
}
