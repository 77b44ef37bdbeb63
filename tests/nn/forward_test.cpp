// The SIMD engine against the scalar reference, and BatchNorm folding.
#include <doctest/doctest.h>

#include "nn/reference.h"
#include "nn/simd.h"
#include "nn_test_util.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;

namespace {

// Runs `n` samples through the engine and each through the reference; returns the worst
// relative difference of the logits.
double engine_vs_reference(nn::Network& net, int n, int time, std::uint64_t seed) {
    const std::size_t per = static_cast<std::size_t>(net.input_shape().channels) * time;
    const auto x = test::random_values(per * n, seed);
    const nn::Batch& y = net.forward(x, n, {});
    double worst = 0.0;
    for (int s = 0; s < n; ++s) {
        const auto ref = nn::reference_forward(net, std::span(x).subspan(per * s, per));
        worst = std::max(worst, test::max_rel_diff(std::span(y.sample(s), y.sample_size()), ref));
    }
    return worst;
}

}  // namespace

TEST_CASE("SIMD forward of the seed net matches the scalar reference to 1e-5") {
    MESSAGE("vector layer: " << std::string(simd::name) << ", " << simd::width << " lanes");
    auto net = ser::network_from_json(test::read_json("tests/nn/data/seed_net.json"));
    net.init(42);
    test::randomise(net, 42, 0.1f);
    CHECK(engine_vs_reference(net, 3, 162, 7) < 1e-5);
}

TEST_CASE("SIMD forward matches the reference for every layer kind and odd sizes") {
    // Channel counts that are not multiples of the vector width or panel, strides,
    // dilations and both paddings exercise every tail path of the kernels.
    const json layers = json::array({
        {{"type", "conv1d"}, {"filters", 13}, {"kernel", 3}, {"stride", 2}, {"padding", "same"}},
        {{"type", "batchnorm"}},
        {{"type", "leaky_relu"}, {"alpha", 0.1}},
        {{"type", "conv1d"}, {"filters", 37}, {"kernel", 4}, {"dilation", 2}, {"padding", "same"}},
        {{"type", "gelu"}},
        {{"type", "avgpool1d"}, {"pool", 3}, {"stride", 2}, {"padding", "same"}},
        {{"type", "conv1d"}, {"filters", 70}, {"kernel", 2}, {"padding", "valid"}, {"use_bias", false}},
        {{"type", "maxpool1d"}, {"pool", 2}, {"padding", "valid"}},
        {{"type", "relu"}},
        {{"type", "attention_pool"}},
        {{"type", "dense"}, {"units", 19}},
        {{"type", "relu"}},
        {{"type", "dense"}, {"units", 5}},
        {{"type", "softmax"}},
    });
    auto net = ser::network_from_json({{"input", {{"channels", 7}, {"time", 45}}}, {"layers", layers}});
    test::randomise(net, 3);
    CHECK(engine_vs_reference(net, 4, 45, 11) < 1e-5);
    CHECK(engine_vs_reference(net, 1, 61, 12) < 1e-5);  // another length: shapes are re-derived

    for (const char* pool : {"global_avgpool", "global_maxpool", "stats_pool"}) {
        CAPTURE(pool);
        auto g = ser::network_from_json(
            {{"input", {{"channels", 5}, {"time", 30}}},
             {"layers", json::array({{{"type", "conv1d"}, {"filters", 24}, {"kernel", 5}, {"padding", "same"}},
                                     {{"type", pool}},
                                     {{"type", "flatten"}},
                                     {{"type", "dense"}, {"units", 3}}})}});
        test::randomise(g, 9);
        CHECK(engine_vs_reference(g, 2, 30, 13) < 1e-5);
    }
}

TEST_CASE("Winograd convolutions (3 and 5 taps, stride 1) match the reference, odd lengths and channels") {
    // Dilated ones run phase by phase: lengths that do not divide by the dilation leave
    // phases of different lengths, some odd.
    const json layers = json::array({
        {{"type", "conv1d"}, {"filters", 13}, {"kernel", 5}, {"padding", "valid"}},
        {{"type", "relu"}},
        {{"type", "conv1d"}, {"filters", 21}, {"kernel", 3}, {"padding", "same"}},
        {{"type", "conv1d"}, {"filters", 17}, {"kernel", 3}, {"dilation", 2}, {"padding", "same"}},
        {{"type", "conv1d"}, {"filters", 9}, {"kernel", 5}, {"dilation", 3}, {"padding", "valid"}},
        {{"type", "conv1d"}, {"filters", 11}, {"kernel", 3}, {"dilation", 4}, {"padding", "same"}},
        {{"type", "conv1d"}, {"filters", 70}, {"kernel", 5}, {"padding", "same"}, {"use_bias", false}},
        {{"type", "global_avgpool"}},
        {{"type", "dense"}, {"units", 3}},
    });
    auto net = ser::network_from_json({{"input", {{"channels", 7}, {"time", 30}}}, {"layers", layers}});
    test::randomise(net, 31);
    for (int time : {30, 31, 17, 18, 32}) {  // every remainder of a tile of outputs, down to one step in a phase
        CAPTURE(time);
        CHECK(engine_vs_reference(net, 2, time, 40 + static_cast<std::uint64_t>(time)) < 1e-5);
    }
}

TEST_CASE("the temporal net matches the reference, and folding BatchNorm changes nothing") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/temporal_net.json"));
    test::randomise(net, 21);
    CHECK(engine_vs_reference(net, 2, 198, 5) < 1e-5);

    nn::Network folded = net.folded();
    for (const auto& l : folded.layers()) {
        CHECK(std::string(l->type()) != "batchnorm");
        CHECK(std::string(l->type()) != "dropout");
    }
    CHECK(folded.layers().size() + 4 == net.layers().size());
    const auto x = test::random_values(64 * 198 * 3, 77);
    const nn::Batch& a = net.forward(x, 3, {});
    const std::vector<float> unfolded(a.data.begin(), a.data.end());
    const nn::Batch& b = folded.forward(x, 3, {});
    CHECK(test::max_rel_diff(b.data, unfolded) < 1e-5);

    // A dense layer's BatchNorm folds too; one after an activation stays a layer.
    auto d = ser::network_from_json(
        {{"input", {{"channels", 6}, {"time", 1}}},
         {"layers", json::array({{{"type", "dense"}, {"units", 9}}, {{"type", "batchnorm"}}, {{"type", "relu"}},
                                 {{"type", "batchnorm"}}, {{"type", "dense"}, {"units", 4}}})}});
    test::randomise(d, 8);
    nn::Network df = d.folded();
    CHECK(df.layers().size() == 4);
    const auto xd = test::random_values(6 * 5, 4);
    const nn::Batch& ya = d.forward(xd, 5, {});
    const std::vector<float> ua(ya.data.begin(), ya.data.end());
    CHECK(test::max_rel_diff(df.forward(xd, 5, {}).data, ua) < 1e-5);
}

// Layers are copied with what they precomputed (packed kernels); a network built from
// copies must not use kernels packed from weights that folding has since changed.
TEST_CASE("a network folded after it ran, then frozen, computes from its folded weights") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/temporal_net.json"));
    test::randomise(net, 21);
    const auto x = test::random_values(64 * 198 * 2, 78);
    net.freeze();
    const std::vector<float> unfolded = net.forward(x, 2, {}).data;  // packs every kernel
    nn::Network folded = net.folded();
    folded.freeze();
    CHECK(test::max_rel_diff(folded.forward(x, 2, {}).data, unfolded) < 1e-5);
    nn::Network copy = net.clone();
    copy.freeze();
    CHECK(copy.forward(x, 2, {}).data == unfolded);
}

TEST_CASE("a frozen network gives the same logits call after call") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/seed_net.json"));
    test::randomise(net, 1, 0.1f);
    net.freeze();
    const auto x = test::random_values(162, 3);
    const std::vector<float> first = net.forward(x, 1, {}).data;
    CHECK(net.forward(x, 1, {}).data == first);
    // Changing weights through the mutable view ends the freeze: the new weights are used.
    net.tensors()[0]->value[0] += 1.0f;
    CHECK(net.forward(x, 1, {}).data != first);
}
