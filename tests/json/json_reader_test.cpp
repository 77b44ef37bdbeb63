#include <doctest/doctest.h>

#include <string>

#include "json/json_reader.h"

using ser::JsonReader;
using ser::KeyNaming;
using nlohmann::json;

namespace {

template <class Fn>
std::string error_of(Fn&& read) {
    try {
        read();
    } catch (const ser::JsonReadError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("typed reads with defaults and ranges") {
    const json doc = json::parse(R"({"n": 3, "x": 0.5, "on": true, "s": "a", "names": ["p", "q"], "big": 18446744073709551615,
                                     "kind": "cosine", "fmax": null, "w": [1, -2.5]})");
    JsonReader r(doc, "demo");
    CHECK(r.integer("n", 1, 0, 10) == 3);
    CHECK(r.integer("absent", 7, 0, 10) == 7);
    CHECK(r.number("x", {}, 0.0, 1.0) == doctest::Approx(0.5));
    CHECK(r.boolean("on", false));
    CHECK(r.string("s", {}) == "a");
    CHECK(r.strings("names", {}) == std::vector<std::string>{"p", "q"});
    CHECK(r.unsigned_integer("big", {}) == 18446744073709551615ull);
    CHECK(r.one_of<int>("kind", {}, {{"step", 1}, {"cosine", 2}}) == 2);
    CHECK_FALSE(r.nullable_number("fmax", 8000.0).has_value());
    CHECK(r.nullable_number("fmin", 50.0) == 50.0);
    CHECK(r.floats("w") == std::vector<float>{1.0f, -2.5f});
    CHECK_NOTHROW(r.finish());
}

TEST_CASE("every message names the key's path and what is expected") {
    const json doc = json::parse(R"({"mel": {"n_mels": "forty", "fmin": -1, "scale": "bark", "power": 1e300},
                                     "steps": [{"db": 3}, {"db": [1]}], "flag": 1, "half": 4.5})");
    JsonReader r(doc, "cfg");
    JsonReader mel = r.object("mel");
    CHECK(error_of([&] { mel.integer("n_mels", 1, 1, 10); }) == "cfg: mel.n_mels must be an integer, not \"forty\"");
    CHECK(error_of([&] { mel.number("fmin", 0.0, 0.0, 10.0); }) == "cfg: mel.fmin = -1 is out of range [0, 10]");
    CHECK(error_of([&] { mel.one_of<int>("scale", 0, {{"slaney", 0}, {"htk", 1}}) ; }) ==
          "cfg: mel.scale must be one of \"slaney\", \"htk\", not \"bark\"");
    CHECK(error_of([&] { r.integer("half", 0, 0, 10); }).find("half must be an integer, not 4.5") != std::string::npos);
    CHECK(error_of([&] { r.boolean("flag", false); }) == "cfg: flag must be true or false, not 1");
    auto steps = r.array("steps");
    REQUIRE(steps.size() == 2);
    CHECK(error_of([&] { steps[1].number("db", {}); }) == "cfg: steps[1].db must be a number, not [1]");
    CHECK(error_of([&] { steps[0].number("snr_db", {}); }) == "cfg: missing key \"steps[0].snr_db\"");
    CHECK(error_of([&] { r.object("missing_section"); }) == "cfg: missing key \"missing_section\"");
    CHECK(error_of([&] { r.object("flag"); }) == "cfg: \"flag\" must be a JSON object, not 1");
    CHECK(error_of([&] { JsonReader(json::array(), "cfg"); }) == "cfg: the document must be a JSON object, not []");
}

TEST_CASE("finish() rejects the keys nobody asked for, listing those asked for in order") {
    const json doc = json::parse(R"({"a": 1, "sub": {"b": 2, "c": 3}})");
    JsonReader r(doc, "cfg");
    r.integer("a", {}, 0, 9);
    JsonReader sub = r.section("sub");
    sub.integer("b", {}, 0, 9);
    CHECK(error_of([&] { sub.finish(); }) == "cfg: unknown key \"sub.c\" (allowed: b)");
    CHECK_NOTHROW(r.finish());
    JsonReader ordered(doc, "cfg");
    ordered.find("sub");
    ordered.find("z");
    ordered.find("b");
    CHECK(error_of([&] { ordered.finish(); }) == "cfg: unknown key \"a\" (allowed: sub, z, b)");
    JsonReader absent = r.section("none");  // an absent section reads as empty
    CHECK_NOTHROW(absent.finish());
}

TEST_CASE("in_parent naming names the key inside its parent") {
    const json doc = json::parse(R"({"adaptation": {"note": 1, "loo": 2}, "x": 1})");
    JsonReader r(doc, "model file", KeyNaming::in_parent);
    JsonReader a = r.object("adaptation");
    CHECK(error_of([&] { a.need("base"); }) == "model file: adaptation: missing key 'base'");
    CHECK(error_of([&] { a.finish(); }) == "model file: adaptation: unknown key 'loo' (allowed: base)");
    CHECK(error_of([&] { r.finish(); }) == "model file: unknown key 'x' (allowed: adaptation)");
    CHECK(error_of([&] { r.object("x"); }) == "model file: x must be an object, not 1");
}

TEST_CASE("long values are shortened in messages") {
    const json doc = {{"w", json(std::vector<int>(100, 7))}};
    JsonReader r(doc, "cfg");
    const std::string message = error_of([&] { r.number("w", {}); });
    CHECK(message.size() < 120);
    CHECK(message.find("...") != std::string::npos);
}
