// Loss, optimisers, schedules, and the parallel training step.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include "nn/loss.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"
#include "nn/trainer.h"
#include "nn_test_util.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;

namespace {

nn::Batch logits_of(std::vector<float> v, int n) {
    nn::Batch b;
    b.resize(n, {static_cast<int>(v.size()) / n, 1});
    b.data = std::move(v);
    return b;
}

double lse(std::initializer_list<double> z) {
    double s = 0.0;
    for (double x : z) s += std::exp(x);
    return std::log(s);
}

}  // namespace

TEST_CASE("softmax cross-entropy: plain, weighted, smoothed, soft targets") {
    const nn::Batch z = logits_of({1.0f, 2.0f, 0.5f, -1.0f, 0.0f, 3.0f}, 2);
    const std::vector<int> y{1, 2};
    nn::Batch d;
    const double l0 = -(2.0 - lse({1, 2, 0.5})), l1 = -(3.0 - lse({-1, 0, 3}));
    CHECK(nn::softmax_cross_entropy(z, y, {}, d) == doctest::Approx((l0 + l1) / 2).epsilon(1e-6));
    // Gradient: (softmax - onehot) / N.
    CHECK(d.data[1] == doctest::Approx((std::exp(2.0 - lse({1, 2, 0.5})) - 1.0) / 2).epsilon(1e-5));

    nn::LossConfig weighted{{1.0f, 2.0f, 0.5f}, 0.0f, {}};
    CHECK(nn::softmax_cross_entropy(z, y, weighted, d) == doctest::Approx((2.0 * l0 + 0.5 * l1) / 2).epsilon(1e-6));

    nn::LossConfig smooth{{}, 0.3f, {}};
    // Smoothed target for sample 0 is (0.1, 0.8, 0.1): check directly.
    const double lz0 = lse({1, 2, 0.5}), lz1 = lse({-1, 0, 3});
    const double sm0 = -(0.1 * (1 - lz0) + 0.8 * (2 - lz0) + 0.1 * (0.5 - lz0));
    const double sm1 = -(0.1 * (-1 - lz1) + 0.1 * (0 - lz1) + 0.8 * (3 - lz1));
    CHECK(nn::softmax_cross_entropy(z, y, smooth, d) == doctest::Approx((sm0 + sm1) / 2).epsilon(1e-6));

    const std::vector<float> soft{0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f};
    CHECK(nn::softmax_cross_entropy(z, soft, {}, d) == doctest::Approx((sm0 + sm1) / 2).epsilon(1e-6));

    // The fused gradient agrees with finite differences under weights and smoothing together.
    nn::LossConfig both{{0.5f, 1.5f, 1.0f}, 0.2f, {}};
    nn::softmax_cross_entropy(z, y, both, d);
    for (std::size_t i = 0; i < z.data.size(); ++i) {
        nn::Batch zp = z, zm = z, scratch;
        zp.data[i] += 1e-3f;
        zm.data[i] -= 1e-3f;
        const double fd = (nn::softmax_cross_entropy(zp, y, both, scratch) - nn::softmax_cross_entropy(zm, y, both, scratch)) / 2e-3;
        CHECK(d.data[i] == doctest::Approx(fd).epsilon(2e-3));
    }

    // Masked to each sample's allowed classes (its corpus's labels): the softmax and the
    // smoothing range over those only; the others get no gradient and do not matter.
    const std::vector<std::uint8_t> allowed{1, 1, 0, 0, 1, 1};
    const double m0 = -(0.15 * (1 - lse({1, 2})) + 0.85 * (2 - lse({1, 2})));
    const double m1 = -(0.15 * (0 - lse({0, 3})) + 0.85 * (3 - lse({0, 3})));
    CHECK(nn::softmax_cross_entropy(z, y, smooth, d, allowed) == doctest::Approx((m0 + m1) / 2).epsilon(1e-6));
    CHECK(d.data[2] == 0.0f);
    CHECK(d.data[3] == 0.0f);
    nn::Batch moved = z;
    moved.data[2] = 50.0f;  // a huge logit on a class sample 0 does not allow
    CHECK(nn::softmax_cross_entropy(moved, y, smooth, d, allowed) == doctest::Approx((m0 + m1) / 2).epsilon(1e-6));
    const std::vector<float> soft_masked{0.3f, 0.7f, 0.0f, 0.0f, 0.4f, 0.6f};
    nn::softmax_cross_entropy(z, soft_masked, both, d, allowed);
    for (std::size_t i = 0; i < z.data.size(); ++i) {
        nn::Batch zp = z, zm = z, scratch;
        zp.data[i] += 1e-3f;
        zm.data[i] -= 1e-3f;
        const double fd = (nn::softmax_cross_entropy(zp, soft_masked, both, scratch, allowed) -
                           nn::softmax_cross_entropy(zm, soft_masked, both, scratch, allowed)) / 2e-3;
        CHECK(d.data[i] == doctest::Approx(fd).epsilon(2e-3));
    }
    // A leak mixes in the plain loss: (1 - s) masked + s plain, gradients alike.
    nn::LossConfig leaky = both;
    leaky.mask_leak = 0.25f;
    nn::Batch d_masked, d_plain, d_leaky;
    const double masked = nn::softmax_cross_entropy(z, y, both, d_masked, allowed);
    const double plain = nn::softmax_cross_entropy(z, y, both, d_plain);
    CHECK(nn::softmax_cross_entropy(z, y, leaky, d_leaky, allowed) == doctest::Approx(0.75 * masked + 0.25 * plain).epsilon(1e-6));
    for (std::size_t i = 0; i < z.data.size(); ++i) {
        nn::Batch zp = z, zm = z, scratch;
        zp.data[i] += 1e-3f;
        zm.data[i] -= 1e-3f;
        const double fd = (nn::softmax_cross_entropy(zp, y, leaky, scratch, allowed) -
                           nn::softmax_cross_entropy(zm, y, leaky, scratch, allowed)) / 2e-3;
        CHECK(d_leaky.data[i] == doctest::Approx(fd).epsilon(2e-3));
        CHECK(d_leaky.data[i] == doctest::Approx(0.75 * d_masked.data[i] + 0.25 * d_plain.data[i]).epsilon(1e-5));
    }
    CHECK(d_leaky.data[2] != 0.0f);  // the class sample 0 lacks is pushed down a little
    CHECK_THROWS_WITH_AS(nn::softmax_cross_entropy(z, std::vector<int>{2, 2}, {}, d, allowed),
                         doctest::Contains("does not allow"), std::invalid_argument);
    CHECK_THROWS_AS(nn::softmax_cross_entropy(z, y, {}, d, std::vector<std::uint8_t>{1, 1, 0, 0, 0, 0}), std::invalid_argument);
    CHECK_THROWS_AS(nn::softmax_cross_entropy(z, y, {}, d, std::vector<std::uint8_t>{1, 1}), std::invalid_argument);

    CHECK_THROWS_AS(nn::softmax_cross_entropy(z, std::vector<int>{1, 3}, {}, d), std::invalid_argument);
    CHECK_THROWS_AS(nn::softmax_cross_entropy(z, std::vector<float>{0.5f, 0.6f, 0, 0, 0, 1}, {}, d), std::invalid_argument);
    CHECK_THROWS_AS(nn::softmax_cross_entropy(z, y, nn::LossConfig{{1.0f}, 0.0f, {}}, d), std::invalid_argument);
    nn::Batch bad = z;
    bad.data[2] = NAN;
    CHECK_THROWS_WITH_AS(nn::softmax_cross_entropy(bad, y, {}, d), doctest::Contains("diverged"), std::runtime_error);
}

namespace {

// One parameter, gradient g, stepped twice: checks the update rule against its formula.
std::pair<float, float> two_steps(nn::OptimizerConfig c, float w0, float g, float lr) {
    nn::Param p("w", {1}, true, true);
    p.value[0] = w0;
    nn::Optimizer opt(c, {&p});
    p.grad[0] = g;
    opt.step(lr);
    const float first = p.value[0];
    p.grad[0] = g;
    opt.step(lr);
    return {first, p.value[0]};
}

}  // namespace

TEST_CASE("optimiser update rules") {
    nn::OptimizerConfig sgd;
    sgd.kind = nn::OptimizerKind::sgd;
    sgd.momentum = 0.9f;
    auto [s1, s2] = two_steps(sgd, 1.0f, 0.5f, 0.1f);
    CHECK(s1 == doctest::Approx(1.0 - 0.1 * 0.5));
    CHECK(s2 == doctest::Approx(s1 - 0.1 * (0.9 * 0.5 + 0.5)));

    nn::OptimizerConfig rms;
    rms.kind = nn::OptimizerKind::rmsprop;
    rms.rho = 0.9f;
    auto [r1, r2] = two_steps(rms, 1.0f, 0.5f, 0.01f);
    const double v1 = 0.1 * 0.25, v2 = 0.9 * v1 + 0.1 * 0.25;
    CHECK(r1 == doctest::Approx(1.0 - 0.01 * 0.5 / (std::sqrt(v1) + 1e-7)));
    CHECK(r2 == doctest::Approx(r1 - 0.01 * 0.5 / (std::sqrt(v2) + 1e-7)));

    nn::OptimizerConfig adam;  // bias-corrected: the first steps move by about lr
    auto [a1, a2] = two_steps(adam, 1.0f, 0.5f, 0.01f);
    CHECK(a1 == doctest::Approx(0.99).epsilon(1e-5));
    CHECK(a2 == doctest::Approx(0.98).epsilon(1e-5));

    nn::OptimizerConfig l2;
    l2.kind = nn::OptimizerKind::sgd;
    l2.momentum = 0.0f;
    l2.l2 = 0.1f;
    l2.l1 = 0.05f;
    auto [w1, w2] = two_steps(l2, 2.0f, 0.0f, 1.0f);
    CHECK(w1 == doctest::Approx(2.0 - (0.1 * 2 * 2.0 + 0.05)));
    (void)w2;

    // Clipping by global norm: gradient (3, 4) has norm 5, clipped to 1.
    nn::Param a("a", {1}, true, true), b("b", {1}, true, true);
    a.grad[0] = 3.0f;
    b.grad[0] = 4.0f;
    CHECK(nn::clip_gradient_norm({&a, &b}, 1.0f) == doctest::Approx(5.0));
    CHECK(a.grad[0] == doctest::Approx(0.6));
    CHECK(b.grad[0] == doctest::Approx(0.8));
}

TEST_CASE("learning-rate schedules") {
    nn::ScheduleConfig step;
    step.kind = nn::ScheduleKind::step;
    step.base_lr = 0.1;
    step.step_epochs = 10;
    step.gamma = 0.5;
    nn::LrSchedule s(step);
    CHECK(s.at(0) == doctest::Approx(0.1));
    CHECK(s.at(9.9) == doctest::Approx(0.1));
    CHECK(s.at(10) == doctest::Approx(0.05));
    CHECK(s.at(25) == doctest::Approx(0.025));

    nn::ScheduleConfig cosine;
    cosine.kind = nn::ScheduleKind::cosine;
    cosine.base_lr = 1.0;
    cosine.min_lr = 0.1;
    cosine.total_epochs = 10;
    cosine.warmup_epochs = 2;
    cosine.warmup_start = 0.0;
    nn::LrSchedule c(cosine);
    CHECK(c.at(0) == doctest::Approx(0.0));
    CHECK(c.at(1) == doctest::Approx(0.5));
    CHECK(c.at(2) == doctest::Approx(1.0));
    CHECK(c.at(7) == doctest::Approx(0.55));
    CHECK(c.at(12) == doctest::Approx(0.1));
    CHECK(c.at(50) == doctest::Approx(0.1));

    nn::ScheduleConfig plateau;
    plateau.kind = nn::ScheduleKind::plateau;
    plateau.base_lr = 1.0;
    plateau.patience = 2;
    plateau.factor = 0.5;
    nn::LrSchedule p(plateau);
    for (double loss : {1.0, 0.9, 0.95, 0.95}) p.observe(loss);
    CHECK(p.at(4) == doctest::Approx(1.0));  // two bad epochs: still patient
    p.observe(0.93);
    CHECK(p.at(5) == doctest::Approx(0.5));
}

namespace {

const char* toy_net = R"({"input": {"channels": 3, "time": 24}, "layers": [
    {"type": "conv1d", "filters": 16, "kernel": 3, "padding": "same", "use_bias": false},
    {"type": "batchnorm"}, {"type": "relu"},
    {"type": "maxpool1d", "pool": 2},
    {"type": "conv1d", "filters": 16, "kernel": 3, "padding": "same"}, {"type": "relu"},
    {"type": "dropout", "rate": 0.2},
    {"type": "global_avgpool"},
    {"type": "dense", "units": 4}, {"type": "softmax"}]})";

// A learnable toy task: the class is which channel carries a bump in the middle.
void toy_data(int n, std::uint64_t seed, std::vector<float>& x, std::vector<int>& y) {
    x = test::random_values(static_cast<std::size_t>(n) * 3 * 24, seed, -0.3f, 0.3f);
    y.resize(static_cast<std::size_t>(n));
    for (int s = 0; s < n; ++s) {
        y[s] = s % 4;
        if (y[s] < 3)
            for (int t = 8; t < 16; ++t) x[(static_cast<std::size_t>(s) * 3 + y[s]) * 24 + t] += 1.0f;
    }
}

std::vector<float> train_weights(int threads, nn::OptimizerKind kind, int steps, float* final_loss = nullptr) {
    auto net = ser::network_from_json(json::parse(toy_net));
    net.init(7);
    nn::OptimizerConfig oc;
    oc.kind = kind;
    oc.l2 = 1e-4f;
    oc.clip_norm = 5.0f;
    nn::Trainer trainer(net, oc, {}, threads, 2024);
    std::vector<float> x;
    std::vector<int> y;
    float loss = 0.0f;
    for (int i = 0; i < steps; ++i) {
        toy_data(32, static_cast<std::uint64_t>(i), x, y);
        loss = trainer.step({x, 32, y, {}, {}, {}}, kind == nn::OptimizerKind::sgd ? 0.05f : 0.01f).loss;
    }
    if (final_loss) *final_loss = loss;
    std::vector<float> all;
    for (nn::Param* p : net.tensors()) all.insert(all.end(), p->value.begin(), p->value.end());
    return all;
}

}  // namespace

TEST_CASE("training learns a toy task with every optimiser") {
    for (auto kind : {nn::OptimizerKind::adam, nn::OptimizerKind::rmsprop, nn::OptimizerKind::sgd}) {
        CAPTURE(static_cast<int>(kind));
        float loss = 0.0f;
        train_weights(2, kind, 60, &loss);
        CHECK(loss < 0.5f);  // chance level is ln 4 = 1.39
    }
}

TEST_CASE("a fixed seed gives bit-identical weights, run to run and for any thread count") {
    const auto a = train_weights(2, nn::OptimizerKind::adam, 8);
    const auto b = train_weights(2, nn::OptimizerKind::adam, 8);
    const auto c = train_weights(1, nn::OptimizerKind::adam, 8);
    CHECK(a == b);
    CHECK(a == c);
}

TEST_CASE("a run resumed from saved weights, optimiser state and step count continues identically") {
    struct Run {
        nn::Network net = ser::network_from_json(json::parse(toy_net));
        std::unique_ptr<nn::Trainer> trainer;
        explicit Run(std::uint64_t init) {
            net.init(init);
            trainer = std::make_unique<nn::Trainer>(net, nn::OptimizerConfig{}, nn::LossConfig{}, 2, 99);
        }
        void steps(int first, int last) {
            std::vector<float> x;
            std::vector<int> y;
            for (int i = first; i < last; ++i) {
                toy_data(16, static_cast<std::uint64_t>(i), x, y);
                trainer->step({x, 16, y, {}, {}, {}}, 0.01f);
            }
        }
        std::vector<float> weights() {
            std::vector<float> all;
            for (nn::Param* p : net.tensors()) all.insert(all.end(), p->value.begin(), p->value.end());
            return all;
        }
    };
    Run straight(7);
    straight.steps(0, 6);

    Run first(7);
    first.steps(0, 3);
    const auto optimiser = first.trainer->optimizer().state();
    Run resumed(8);  // other initial weights: everything must come from the checkpoint
    auto from = first.net.tensors(), to = resumed.net.tensors();
    for (std::size_t k = 0; k < from.size(); ++k) to[k]->value = from[k]->value;
    resumed.trainer->optimizer().restore(optimiser);
    resumed.trainer->restore_steps(first.trainer->steps());
    resumed.steps(3, 6);
    CHECK(resumed.weights() == straight.weights());

    nn::Optimizer other({}, {resumed.net.parameters()[0]});
    CHECK_THROWS_AS(other.restore(optimiser), std::invalid_argument);
}

TEST_CASE("the thread pool runs every task once and passes exceptions on") {
    nn::ThreadPool pool(2);
    std::vector<int> hits(1000, 0);
    pool.parallel_for(1000, [&](int i) { hits[static_cast<std::size_t>(i)] += 1; });
    CHECK(std::count(hits.begin(), hits.end(), 1) == 1000);
    CHECK_THROWS_WITH(pool.parallel_for(10, [](int i) { if (i == 7) throw std::runtime_error("task 7"); }), "task 7");
    pool.parallel_for(3, [&](int i) { hits[static_cast<std::size_t>(i)] = 5; });  // still usable
    CHECK(hits[2] == 5);
}

namespace {

// Class and domain are independent; channel 0 carries the class, channel 1 the domain.
// Returns the adversary's and the classifier's mean loss over the last 40 steps.
std::pair<float, float> adversarial_run(float weight) {
    auto net = ser::network_from_json(json::parse(R"({"input": {"channels": 2, "time": 8}, "layers": [
        {"type": "conv1d", "filters": 4, "kernel": 1}, {"type": "global_avgpool"},
        {"type": "dense", "units": 2}, {"type": "softmax"}]})"));
    net.init(3);
    auto head = ser::network_from_json(json::parse(R"({"input": {"channels": 4, "time": 1}, "layers": [
        {"type": "dense", "units": 8}, {"type": "relu"}, {"type": "dense", "units": 2}]})"));
    head.init(4);
    nn::Trainer trainer(net, nn::OptimizerConfig{}, nn::LossConfig{}, 1, 5);
    trainer.attach_adversary({std::move(head), 1});
    float adversary = 0.0f, task = 0.0f;
    for (int i = 0; i < 400; ++i) {
        std::vector<float> x = test::random_values(32 * 2 * 8, static_cast<std::uint64_t>(i), -0.5f, 0.5f);
        std::vector<int> y(32), d(32);
        for (int s = 0; s < 32; ++s) {
            y[s] = s % 2;
            d[s] = (s / 2) % 2;
            for (int t = 0; t < 8; ++t) {
                x[(static_cast<std::size_t>(s) * 2 + 0) * 8 + t] += y[s] ? 1.0f : -1.0f;
                x[(static_cast<std::size_t>(s) * 2 + 1) * 8 + t] += d[s] ? 1.0f : -1.0f;
            }
        }
        const nn::StepResult r = trainer.step({x, 32, y, {}, {}, d}, 0.01f, weight);
        if (i >= 360) {
            adversary += r.adversary_loss / 40.0f;
            task += r.loss / 40.0f;
        }
    }
    return {adversary, task};
}

}  // namespace

TEST_CASE("an adversary with a push towards domain confusion makes the domain unreadable, and only then") {
    const auto [free_adversary, free_task] = adversarial_run(0.0f);
    const auto [pushed_adversary, pushed_task] = adversarial_run(1.0f);
    CHECK(free_task < 0.2f);
    CHECK(pushed_task < 0.2f);
    CHECK(free_adversary < 0.2f);    // the untouched features carry the domain
    CHECK(pushed_adversary > 0.5f);  // near ln 2 = 0.69: the network hid it
}
