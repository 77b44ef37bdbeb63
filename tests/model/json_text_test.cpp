#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/json_text.h"

TEST_SUITE("model.json_text") {

TEST_CASE("json_text writes finite documents as dump does, and refuses NaN or infinity naming the path") {
    nlohmann::json j = {{"label", "sad"}, {"timeline", {{{"p", {{"sad", 0.25}}}}, {{"p", {{"sad", 0.5}}}}}}};
    CHECK(ser::json_text(j, 2) == j.dump(2));
    CHECK(nlohmann::json::parse(ser::json_text(j)) == j);

    j["timeline"][1]["p"]["sad"] = std::numeric_limits<double>::quiet_NaN();
    CHECK(j.dump().find("null") != std::string::npos);  // what nlohmann would have printed
    CHECK_THROWS_WITH_AS(ser::json_text(j), doctest::Contains("NaN at timeline[1].p.sad"), std::domain_error);
    j["timeline"][1]["p"]["sad"] = 0.5;
    j["weights"] = {1.0, -std::numeric_limits<double>::infinity()};
    CHECK_THROWS_WITH_AS(ser::json_text(j), doctest::Contains("an infinity at weights[1]"), std::domain_error);
    CHECK_THROWS_AS(ser::json_text(nlohmann::json(std::numeric_limits<float>::infinity())), std::domain_error);
}

}
