#include <doctest/doctest.h>

#include <stdexcept>

#include "nn/layers.h"
#include "nn/network.h"
#include "nn_test_util.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;

TEST_CASE("the seed net has the issue's shapes and 557,288 parameters") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/seed_net.json"));
    CHECK(net.parameter_count() == 557288);
    CHECK(net.input_shape() == nn::Shape{1, 162});
    CHECK(net.output_shape() == nn::Shape{8, 1});
    CHECK(net.has_softmax());
    std::vector<int> conv_lengths, pool_lengths;
    for (const auto& l : net.layers()) {
        if (std::string(l->type()) == "conv1d") conv_lengths.push_back(l->out_shape.time);
        if (std::string(l->type()) == "maxpool1d") pool_lengths.push_back(l->out_shape.time);
    }
    CHECK(conv_lengths == std::vector<int>{162, 81, 41, 21});
    CHECK(pool_lengths == std::vector<int>{81, 41, 21, 11});
    CHECK(net.receptive_field() == 121);
}

TEST_CASE("architecture JSON round-trips") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/temporal_net.json"));
    auto again = ser::network_from_json(ser::network_to_json(net));
    CHECK(ser::network_to_json(again) == ser::network_to_json(net));
    CHECK(again.parameter_count() == net.parameter_count());
}

TEST_CASE("same and valid padding follow Keras") {
    CHECK(nn::window_geometry(162, 5, 1, nn::Padding::same).out == 162);
    CHECK(nn::window_geometry(162, 5, 1, nn::Padding::same).pad_left == 2);
    CHECK(nn::window_geometry(162, 5, 2, nn::Padding::same).out == 81);
    CHECK(nn::window_geometry(10, 4, 1, nn::Padding::same).pad_left == 1);  // odd step on the right
    CHECK(nn::window_geometry(10, 3, 2, nn::Padding::valid).out == 4);
    CHECK(nn::window_geometry(2, 3, 1, nn::Padding::valid).out == 0);
}

namespace {

std::string error_of(const json& arch) {
    try {
        ser::network_from_json(arch);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

json small(json layers) { return {{"input", {{"channels", 2}, {"time", 8}}}, {"layers", layers}}; }

}  // namespace

TEST_CASE("malformed architectures are refused with a message naming the problem") {
    CHECK(error_of(small(json::array({{{"type", "conv2d"}}}))).find("unknown layer type 'conv2d'") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "dense"}, {"units", 4}, {"unit", 4}}}))).find("unknown key 'unit'") !=
          std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "conv1d"}, {"kernel", 3}}}))).find("'filters'") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "conv1d"}, {"filters", 4}, {"kernel", 3}, {"padding", "full"}}})))
              .find("padding") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "flatten"}, {"name", "a"}}, {{"type", "dense"}, {"units", 2}, {"name", "a"}}})))
              .find("duplicate layer name 'a'") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "softmax"}}, {{"type", "flatten"}}}))).find("softmax") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "dense"}, {"units", 2}}}))).find("flatten") != std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "conv1d"}, {"filters", 2}, {"kernel", 9}}}))).find("shorter") !=
          std::string::npos);
    CHECK(error_of(small(json::array({{{"type", "dropout"}, {"rate", 1.5}}}))).find("out of range") != std::string::npos);
    CHECK(error_of({{"layers", json::array({{{"type", "flatten"}}})}}).find("input") != std::string::npos);
    CHECK(error_of(small(json::array())).find("non-empty") != std::string::npos);
}

TEST_CASE("temporal nets accept other lengths, fixed-length nets say why they cannot") {
    auto temporal = ser::network_from_json(test::read_json("tests/nn/data/temporal_net.json"));
    test::randomise(temporal, 5);
    const auto x = test::random_values(64 * 123, 1);
    const nn::Batch& y = temporal.forward(x, 1, {});
    CHECK(y.shape == nn::Shape{8, 1});

    auto seed = ser::network_from_json(test::read_json("tests/nn/data/seed_net.json"));
    const auto short_input = test::random_values(150, 2);
    CHECK_THROWS_WITH_AS(seed.forward(short_input, 1, {}), doctest::Contains("weights expect 704"), std::invalid_argument);
    CHECK_THROWS_AS(seed.forward(short_input, 7, {}), std::invalid_argument);
}
