// Backward of every layer against central finite differences of the loss.
#include <doctest/doctest.h>

#include <cmath>

#include "nn/loss.h"
#include "nn_test_util.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;

namespace {

constexpr int batch = 3;
const std::vector<int> labels{0, 2, 1};

// The loss the gradients are checked against: plain by default; smoothing and per-sample
// allowed classes (the corpus label mask) for the masked-loss case.
struct LossSetup {
    nn::LossConfig config;
    std::vector<std::uint8_t> allowed;  // batch x 3, or empty
};

double loss_of(nn::Network& net, const std::vector<float>& x, const nn::Context& ctx, const LossSetup& loss = {}) {
    nn::Batch d;
    return nn::softmax_cross_entropy(net.forward(x, batch, ctx), labels, loss.config, d, loss.allowed);
}

// Checks dLoss/dparam for up to `per_param` entries of every parameter. A leading 1x1 conv
// makes the layer under test pass its input gradient on, so that is checked too.
// Coordinates where the loss has a kink (max, ReLU) within the step are skipped; they must
// stay rare.
void check_gradients(const json& layer_under_test, int channels = 4, int time = 9, int per_param = 12,
                     const LossSetup& loss = {}) {
    json layers = json::array({{{"type", "conv1d"}, {"name", "pre"}, {"filters", channels}, {"kernel", 1}}});
    layers.push_back(layer_under_test);
    layers.push_back({{"type", "flatten"}});
    layers.push_back({{"type", "dense"}, {"name", "head"}, {"units", 3}});
    auto net = ser::network_from_json({{"input", {{"channels", 2}, {"time", time}}}, {"layers", layers}});
    test::randomise(net, 17, 0.5f);
    const auto x = test::random_values(static_cast<std::size_t>(2 * time * batch), 99);
    const nn::Context ctx{nn::Mode::training, nullptr, 1234};

    nn::Batch d_logits;
    nn::softmax_cross_entropy(net.forward(x, batch, ctx), labels, loss.config, d_logits, loss.allowed);
    net.backward(d_logits, ctx);

    int checked = 0, kinks = 0;
    for (nn::Param* p : net.parameters()) {
        const std::vector<float> analytic = p->grad;
        const std::size_t stride = std::max<std::size_t>(1, p->size() / static_cast<std::size_t>(per_param));
        for (std::size_t i = 0; i < p->size(); i += stride) {
            const float keep = p->value[i];
            const float eps = 2e-3f;
            p->value[i] = keep + eps;
            const double up = loss_of(net, x, ctx, loss);
            p->value[i] = keep - eps;
            const double down = loss_of(net, x, ctx, loss);
            p->value[i] = keep;
            const double mid = loss_of(net, x, ctx, loss);
            const double right = (up - mid) / eps, left = (mid - down) / eps;
            if (std::abs(right - left) > 0.05 * std::max(std::abs(right), std::abs(left)) + 2e-3) {
                ++kinks;
                continue;
            }
            const double numeric = (up - down) / (2.0 * eps);
            CAPTURE(p->name);
            CAPTURE(i);
            CHECK(std::abs(numeric - analytic[i]) <= 2e-2 * std::abs(numeric) + 3e-4);
            ++checked;
        }
    }
    CHECK(checked > 20);
    CHECK(kinks * 10 <= checked);
}

}  // namespace

TEST_CASE("conv1d backward") {
    check_gradients({{"type", "conv1d"}, {"filters", 5}, {"kernel", 3}, {"padding", "same"}});  // Winograd
    check_gradients({{"type", "conv1d"}, {"filters", 19}, {"kernel", 5}, {"padding", "valid"}}, 4, 12);  // Winograd, odd
    // Eight or more input channels: the weight gradient takes the Winograd path too.
    check_gradients({{"type", "conv1d"}, {"filters", 6}, {"kernel", 5}, {"padding", "same"}}, 9, 11);
    check_gradients({{"type", "conv1d"}, {"filters", 21}, {"kernel", 3}, {"padding", "valid"}}, 8, 10);
    check_gradients({{"type", "conv1d"}, {"filters", 18}, {"kernel", 2}, {"stride", 2}, {"dilation", 3}, {"padding", "valid"}});
    // Dilated: a Winograd forward pass with the direct gradients (in and weights).
    check_gradients({{"type", "conv1d"}, {"filters", 10}, {"kernel", 3}, {"dilation", 2}, {"padding", "same"}}, 9, 11);
    check_gradients({{"type", "conv1d"}, {"filters", 6}, {"kernel", 4}, {"stride", 3}, {"padding", "same"}, {"use_bias", false}});
}
TEST_CASE("dense backward") { check_gradients({{"type", "dense"}, {"units", 7}}, 4, 1); }
TEST_CASE("backward through the loss masked to each sample's corpus labels, with smoothing and weights") {
    // Sample 0 may take classes 0 and 1, sample 1 classes 1 and 2, sample 2 all three.
    LossSetup masked;
    masked.config.class_weights = {0.5f, 1.5f, 1.0f};
    masked.config.label_smoothing = 0.2f;
    masked.allowed = {1, 1, 0, 0, 1, 1, 1, 1, 1};
    check_gradients({{"type", "dense"}, {"units", 7}}, 4, 1, 12, masked);
    check_gradients({{"type", "conv1d"}, {"filters", 3}, {"kernel", 3}, {"padding", "same"}}, 4, 9, 12, masked);
    masked.config.mask_leak = 0.2f;
    check_gradients({{"type", "dense"}, {"units", 7}}, 4, 1, 12, masked);
}
TEST_CASE("batchnorm backward (batch statistics)") {
    check_gradients({{"type", "batchnorm"}});
    check_gradients({{"type", "batchnorm"}}, 5, 1);
}
TEST_CASE("activation backward") {
    check_gradients({{"type", "relu"}});
    check_gradients({{"type", "leaky_relu"}, {"alpha", 0.2}});
    check_gradients({{"type", "gelu"}});
}
TEST_CASE("pooling backward") {
    check_gradients({{"type", "maxpool1d"}, {"pool", 3}, {"stride", 2}, {"padding", "same"}});
    check_gradients({{"type", "avgpool1d"}, {"pool", 3}, {"stride", 2}, {"padding", "same"}});
    check_gradients({{"type", "avgpool1d"}, {"pool", 2}, {"padding", "valid"}});
    check_gradients({{"type", "global_avgpool"}});
    check_gradients({{"type", "global_maxpool"}});
    check_gradients({{"type", "stats_pool"}});
    check_gradients({{"type", "attention_pool"}});
}
TEST_CASE("dropout and flatten backward") {
    check_gradients({{"type", "dropout"}, {"rate", 0.4}});
    check_gradients({{"type", "flatten"}}, 3, 4);
}

TEST_CASE("the seed net's full backward matches finite differences") {
    auto net = ser::network_from_json(test::read_json("tests/nn/data/seed_net.json"));
    net.init(3);
    const auto x = test::random_values(162 * batch, 5);
    const nn::Context ctx{nn::Mode::training, nullptr, 99};
    nn::Batch d_logits;
    nn::softmax_cross_entropy(net.forward(x, batch, ctx), labels, {}, d_logits);
    net.backward(d_logits, ctx);
    // Directional derivative along d = (g/|g| + r/|r|)/2 for a random r: one number that depends
    // on every gradient entry, compared with a finite difference of the loss along d.
    auto params = net.parameters();
    std::vector<std::vector<float>> dir;
    double g_sq = 0.0, r_sq = 0.0;
    std::uint64_t s = 1;
    for (nn::Param* p : params) {
        dir.push_back(test::random_values(p->size(), s++));
        for (std::size_t i = 0; i < p->size(); ++i) {
            g_sq += static_cast<double>(p->grad[i]) * p->grad[i];
            r_sq += static_cast<double>(dir.back()[i]) * dir.back()[i];
        }
    }
    double analytic = 0.0;
    for (std::size_t k = 0; k < params.size(); ++k)
        for (std::size_t i = 0; i < params[k]->size(); ++i) {
            dir[k][i] = static_cast<float>(0.5 * (params[k]->grad[i] / std::sqrt(g_sq) + dir[k][i] / std::sqrt(r_sq)));
            analytic += static_cast<double>(params[k]->grad[i]) * dir[k][i];
        }
    auto shifted = [&](float eps) {
        for (std::size_t k = 0; k < params.size(); ++k)
            for (std::size_t i = 0; i < params[k]->size(); ++i) params[k]->value[i] += eps * dir[k][i];
        const double l = loss_of(net, x, ctx);
        for (std::size_t k = 0; k < params.size(); ++k)
            for (std::size_t i = 0; i < params[k]->size(); ++i) params[k]->value[i] -= eps * dir[k][i];
        return l;
    };
    const float eps = 1e-3f;  // larger steps feel the ReLU net's curvature along the gradient
    const double numeric = (shifted(eps) - shifted(-eps)) / (2.0 * eps);
    CHECK(std::abs(numeric - analytic) <= 2e-2 * std::abs(analytic) + 1e-3);
}

TEST_CASE("a gradient tap at a pooled layer and the input gradient match finite differences") {
    // The loss is the cross-entropy plus <tap, pooled output>: what an adversary's push on
    // the network stands for; it reaches the layers below the pooling.
    auto net = ser::network_from_json({{"input", {{"channels", 2}, {"time", 7}}},
                                       {"layers", {{{"type", "conv1d"}, {"filters", 4}, {"kernel", 3}, {"padding", "same"}},
                                                   {{"type", "stats_pool"}},
                                                   {{"type", "dense"}, {"units", 3}}}}});
    test::randomise(net, 5, 0.5f);
    std::vector<float> x = test::random_values(2 * 7 * batch, 8);
    const nn::Context ctx{nn::Mode::training, nullptr, 1};
    nn::Batch tap;
    tap.resize(batch, {8, 1});
    tap.data = test::random_values(tap.data.size(), 21);
    auto loss = [&] {
        nn::Batch d;
        double l = nn::softmax_cross_entropy(net.forward(x, batch, ctx), labels, {}, d);
        const nn::Batch& pooled = net.output_of(1);
        for (std::size_t k = 0; k < pooled.data.size(); ++k) l += static_cast<double>(tap.data[k]) * pooled.data[k] / batch;
        return l;
    };
    for (float& v : tap.data) v /= batch;  // the cross-entropy is a batch mean; so is the tap's term
    nn::Batch d_logits;
    nn::softmax_cross_entropy(net.forward(x, batch, ctx), labels, {}, d_logits);
    const nn::Network::GradientTap at_pool{1, &tap};
    net.backward(d_logits, ctx, &at_pool, true);
    for (float& v : tap.data) v *= batch;
    auto check = [&](float& value, float analytic) {
        const float keep = value, eps = 1e-3f;
        value = keep + eps;
        const double up = loss();
        value = keep - eps;
        const double down = loss();
        value = keep;
        CHECK(std::abs((up - down) / (2.0 * eps) - analytic) <= 2e-2 * std::abs(analytic) + 3e-4);
    };
    const std::vector<float> conv_grad = net.parameters().front()->grad;
    const std::vector<float> input_grad = net.input_gradient().data;  // channels-last [n][t][c]
    for (std::size_t i = 0; i < conv_grad.size(); i += 5) check(net.parameters().front()->value[i], conv_grad[i]);
    for (int s = 0; s < batch; ++s)
        for (int t = 0; t < 7; t += 2)
            for (int c = 0; c < 2; ++c)
                check(x[(static_cast<std::size_t>(s) * 2 + c) * 7 + t], input_grad[(static_cast<std::size_t>(s) * 7 + t) * 2 + c]);

    const nn::Network::GradientTap above_logits{2, &tap};
    CHECK_THROWS_AS(net.backward(d_logits, ctx, &above_logits), std::invalid_argument);
}
