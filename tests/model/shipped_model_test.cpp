#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "model/model.h"
#include "support/test_support.h"

TEST_SUITE("shipped model") {

// load_model runs the selftest: a chirp through features, normalisation and the network must
// reproduce the feature digest and logits recorded at export, here natively and under node.
TEST_CASE("weights/default.json loads and passes its selftest") {
    std::ifstream in(ser::test::source_dir() / "weights/default.json", std::ios::binary);
    REQUIRE_MESSAGE(in, "weights/default.json is missing: it is part of the repository");
    std::ostringstream text;
    text << in.rdbuf();
    const ser::Model model = ser::load_model(text.str());
    CHECK(model.labels.size() >= 7);
    CHECK(model.training.contains("source_revision"));
}

}
