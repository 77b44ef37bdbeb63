// Few-shot adaptation (model/adapt.h): what changes and what must not, the adaptation
// record, refusals, and the same weights natively and in WebAssembly.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <iomanip>

#include "model/adapt.h"
#include "support/random_model.h"

using namespace ser;

namespace {

// A clip of 250 frames of the small model's 64 log-mel rows: a "speaker" level around the
// model's mean, noise, and a band that depends on the label (so labels can be learnt).
AdaptClip synthetic_clip(int label, std::uint64_t seed) {
    AdaptClip c;
    c.label = label;
    c.features.rows = 64;
    c.features.cols = 250;
    std::uint64_t draw = 0;
    for (int r = 0; r < 64; ++r)
        for (int t = 0; t < 250; ++t) {
            const float band = r / 16 == label ? 12.0f * std::sin(0.2f * static_cast<float>(t)) : 0.0f;
            c.features.values.push_back(-35.0f + 0.3f * static_cast<float>(r) + band + nn::counter_uniform(seed, draw++, -8.0f, 8.0f));
        }
    return c;
}

std::vector<AdaptClip> clips_of(std::initializer_list<std::pair<int, int>> label_counts) {
    std::vector<AdaptClip> clips;
    std::uint64_t seed = 100;
    for (auto [label, n] : label_counts)
        for (int i = 0; i < n; ++i) clips.push_back(synthetic_clip(label, seed++));
    return clips;
}

std::vector<float> tensor(Model& m, const std::string& layer, const std::string& name) {
    for (auto& l : m.network.layers())
        if (l->name == layer)
            for (nn::Param* p : l->tensors())
                if (p->name == name) return p->value;
    throw std::runtime_error("no tensor " + layer + "." + name);
}

AdaptOptions quick(const std::string& method) {
    AdaptOptions o;
    o.method = method;
    o.steps = 30;
    o.base_name = "small.json";
    return o;
}

}  // namespace

TEST_CASE("adaptation changes the head for the labels given and nothing else") {
    Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    const auto clips = clips_of({{0, 3}, {3, 3}});  // angry and sad only: 2 of the 4 labels
    AdaptResult r = adapt_model(base, clips, quick("norm+head"));
    Model& a = r.model;

    CHECK(tensor(a, "conv1", "weight") == tensor(base, "conv1", "weight"));
    CHECK(tensor(a, "bn1", "running_var") == tensor(base, "bn1", "running_var"));
    CHECK(a.normalisation.mean != base.normalisation.mean);
    const auto w0 = tensor(base, "logits", "weight"), w1 = tensor(a, "logits", "weight");
    const auto b0 = tensor(base, "logits", "bias"), b1 = tensor(a, "logits", "bias");
    const std::size_t inputs = w0.size() / 4;
    for (std::size_t label = 0; label < 4; ++label) {
        const bool given = label == 0 || label == 3;
        const std::vector<float> row0(w0.begin() + static_cast<std::ptrdiff_t>(label * inputs),
                                      w0.begin() + static_cast<std::ptrdiff_t>((label + 1) * inputs));
        const std::vector<float> row1(w1.begin() + static_cast<std::ptrdiff_t>(label * inputs),
                                      w1.begin() + static_cast<std::ptrdiff_t>((label + 1) * inputs));
        CAPTURE(label);
        // Absent labels are masked out of the loss: their weights stay exactly the base's.
        CHECK((row0 != row1) == given);
        CHECK((b0[label] != b1[label]) == given);
    }

    REQUIRE(a.adaptation);
    CHECK(a.adaptation->base_name == "small.json");
    CHECK(a.adaptation->base_checksum == weights_checksum(base));
    CHECK(a.adaptation->clips_per_label == std::vector<std::pair<std::string, int>>{{"angry", 3}, {"sad", 3}});
    CHECK(a.adaptation->changed == std::vector<std::string>{"normalisation", "logits"});
    CHECK(r.base_uar >= 0.0);
    CHECK(r.adapted_uar <= 1.0);
    // The per-clip leave-one-out predictions are the ones behind those UARs (3 clips per label).
    REQUIRE(r.base_predicted.size() == clips.size());
    REQUIRE(r.adapted_predicted.size() == clips.size());
    const auto uar_of = [&](const std::vector<int>& predicted) {
        double hits[2] = {0.0, 0.0};
        for (std::size_t k = 0; k < clips.size(); ++k) hits[k < 3 ? 0 : 1] += predicted[k] == clips[k].label;
        return (hits[0] / 3.0 + hits[1] / 3.0) / 2.0;
    };
    CHECK(uar_of(r.base_predicted) == doctest::Approx(r.base_uar));
    CHECK(uar_of(r.adapted_predicted) == doctest::Approx(r.adapted_uar));
    // The likelihood guard's measure: mean log-probability of the true labels among the two
    // covered, floored at log(1e-4); a head fitted to the others is at least as likely as the
    // floor and at most certain.
    for (double ll : {r.base_log_likelihood, r.adapted_log_likelihood}) {
        CHECK(ll <= 0.0);
        CHECK(ll >= std::log(1e-4));
    }
    // The file it makes loads with its recomputed selftest and keeps the record.
    const Model loaded = load_model(save_model(a));
    REQUIRE(loaded.adaptation);
    CHECK(loaded.adaptation->clips() == 6);
}

TEST_CASE("the guard picks the strongest strength leave-one-out finds no worse than the base") {
    Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    const auto clips = clips_of({{0, 3}, {3, 3}});
    AdaptResult r = adapt_model(base, clips, quick("norm+head2"));
    const std::vector<double>& s = AdaptOptions{}.strengths;
    REQUIRE(r.strength_log_likelihoods.size() == s.size());
    // The ends are the base and the full adaptation, as their own figures say.
    CHECK(r.strength_log_likelihoods.front() == doctest::Approx(r.base_log_likelihood).epsilon(1e-9));
    CHECK(r.strength_log_likelihoods.back() == doctest::Approx(r.adapted_log_likelihood).epsilon(1e-9));
    const auto chosen = static_cast<std::size_t>(std::find(s.begin(), s.end(), r.strength) - s.begin());
    REQUIRE(chosen < s.size());
    CHECK(r.strength_log_likelihoods[chosen] >= r.base_log_likelihood);
    for (std::size_t j = chosen + 1; j < s.size(); ++j) CHECK(r.strength_log_likelihoods[j] < r.base_log_likelihood);
    CHECK(r.better_or_equal == (r.strength > 0.0));

    // Strength 0 gives the base's numbers, 1 the adapted model's, 0.5 the midpoint; the
    // record keeps the strength through a save and a load.
    Model adapted = std::move(r.model);
    Model none = at_strength(base, adapted, 0.0), full = at_strength(base, adapted, 1.0), half = at_strength(base, adapted, 0.5);
    CHECK(tensor(none, "logits", "weight") == tensor(base, "logits", "weight"));
    CHECK(none.normalisation.std == base.normalisation.std);
    CHECK(tensor(full, "logits", "weight") == tensor(adapted, "logits", "weight"));
    CHECK(full.normalisation.mean == adapted.normalisation.mean);
    const std::vector<float> w0 = tensor(base, "logits", "weight"), w1 = tensor(adapted, "logits", "weight"),
                             wh = tensor(half, "logits", "weight");
    for (std::size_t i = 0; i < wh.size(); ++i) CHECK(wh[i] == doctest::Approx(0.5 * (w0[i] + w1[i])).epsilon(1e-6));
    for (std::size_t i = 0; i < half.normalisation.mean.size(); ++i)
        CHECK(half.normalisation.mean[i] ==
              doctest::Approx(0.5 * (base.normalisation.mean[i] + adapted.normalisation.mean[i])).epsilon(1e-6));
    const Model loaded = load_model(save_model(half));
    REQUIRE(loaded.adaptation);
    CHECK(loaded.adaptation->strength == 0.5);
    CHECK_THROWS_WITH_AS(at_strength(base, adapted, 1.5), "adaptation strength must be in [0, 1]", std::invalid_argument);
    CHECK_THROWS_WITH_AS(at_strength(adapted, adapted, 0.5), "at_strength: the second model is not adapted from the first",
                         std::invalid_argument);
    AdaptOptions unordered = quick("head");
    unordered.strengths = {1.0, 0.5};
    CHECK_THROWS_AS(adapt_model(base, clips, unordered), std::invalid_argument);
}

TEST_CASE("adaptation is deterministic and reports its progress") {
    const Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    const auto clips = clips_of({{0, 2}, {1, 2}, {2, 2}});
    AdaptOptions o = quick("head");
    int calls = 0, last_total = 0;
    o.on_progress = [&](int done, int total) {
        ++calls;
        CHECK(done == calls);
        last_total = total;
    };
    Model first = adapt_model(base, clips, o).model;
    CHECK(calls == 7);  // one fit per left-out clip, then the final one
    CHECK(last_total == 7);
    o.on_progress = nullptr;
    Model second = adapt_model(base, clips, o).model;
    CHECK(tensor(first, "logits", "weight") == tensor(second, "logits", "weight"));
    CHECK(first.normalisation.mean == base.normalisation.mean);  // "head" leaves the normalisation
}

TEST_CASE("bias and norm change only what they name") {
    Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    const auto clips = clips_of({{0, 2}, {3, 2}});
    Model bias = adapt_model(base, clips, quick("bias")).model;
    CHECK(tensor(bias, "logits", "weight") == tensor(base, "logits", "weight"));
    CHECK(tensor(bias, "logits", "bias") != tensor(base, "logits", "bias"));
    CHECK(bias.adaptation->changed == std::vector<std::string>{"logits"});
    Model norm = adapt_model(base, clips, quick("norm")).model;
    CHECK(tensor(norm, "logits", "bias") == tensor(base, "logits", "bias"));
    CHECK(norm.normalisation.std != base.normalisation.std);
    CHECK(norm.adaptation->changed == std::vector<std::string>{"normalisation"});
    // "head2" on a net with one dense layer adapts that one.
    CHECK(adapt_model(base, clips, quick("head2")).model.adaptation->changed == std::vector<std::string>{"logits"});
    // Zero-shot: the same statistics from the clips without their labels.
    std::vector<FeatureMatrix> unlabelled;
    for (const auto& c : clips) unlabelled.push_back(c.features);
    CHECK(speaker_normalisation(base, unlabelled).std == norm.normalisation.std);
}

TEST_CASE("too few clips or labels are refused, thin coverage is warned about") {
    const Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    CHECK_THROWS_WITH_AS(adapt_model(base, clips_of({{0, 2}, {1, 1}}), quick("head")), doctest::Contains("too few"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(adapt_model(base, clips_of({{2, 5}}), quick("head")), doctest::Contains("at least two different labels"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(adapt_model(base, clips_of({{0, 2}, {1, 2}}), quick("tail")), doctest::Contains("not one of norm"),
                         std::invalid_argument);
    auto bad = clips_of({{0, 2}, {1, 2}});
    bad[0].label = 7;
    CHECK(check_adapt_clips(base, bad).errors.at(0).find("no label of this model") != std::string::npos);
    const AdaptCheck thin = check_adapt_clips(base, clips_of({{0, 3}, {1, 1}}));
    CHECK(thin.errors.empty());
    REQUIRE(thin.warnings.size() == 2);
    CHECK(thin.warnings[0].find("only one clip of \"happy\"") != std::string::npos);
    CHECK(thin.warnings[1].find("cover 2 of the model's 4 labels") != std::string::npos);
    CHECK(check_adapt_clips(base, clips_of({{0, 2}, {1, 2}, {2, 2}, {3, 2}})).warnings.empty());
}

// Windows are weighed as inference weighs them (weigh_windows), so windows that hold only
// the silence around the speech (a take recorded with a long pause after it, the edges the
// analyser adds) count for nothing: more of that silence adapts to the same model.
TEST_CASE("adaptation ignores the windows that inference ignores") {
    Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    base.normalisation.speech_range_db = 30.0;
    auto trailed = [](std::vector<AdaptClip> clips, int silent_frames) {
        for (AdaptClip& c : clips) {
            FeatureMatrix f;
            f.rows = c.features.rows;
            f.cols = c.features.cols + silent_frames;
            for (int r = 0; r < f.rows; ++r)
                for (int t = 0; t < f.cols; ++t)
                    f.values.push_back(t < c.features.cols ? c.features.values[static_cast<std::size_t>(r * c.features.cols + t)] : -200.0f);
            c.features = std::move(f);
        }
        return clips;
    };
    const auto clips = clips_of({{0, 3}, {1, 2}, {3, 3}});
    AdaptResult a = adapt_model(base, trailed(clips, 200), quick("norm+head"));  // one window of silence
    AdaptResult b = adapt_model(base, trailed(clips, 600), quick("norm+head"));  // 17 more
    const auto wa = tensor(a.model, "logits", "weight"), wb = tensor(b.model, "logits", "weight");
    for (std::size_t i = 0; i < wa.size(); ++i) CHECK(wa[i] == doctest::Approx(wb[i]).epsilon(1e-5));
    for (std::size_t i = 0; i < 64; ++i) CHECK(a.model.normalisation.std[i] == doctest::Approx(b.model.normalisation.std[i]).epsilon(1e-5));
    CHECK(a.adapted_log_likelihood == doctest::Approx(b.adapted_log_likelihood).epsilon(1e-5));
    // The silence is no clip of its own: without it the speech windows' weights change, and so the head.
    AdaptResult bare = adapt_model(base, clips, quick("norm+head"));
    const auto plain = tensor(bare.model, "logits", "weight");
    double moved = 0.0;
    for (std::size_t i = 0; i < wa.size(); ++i) moved = std::max(moved, static_cast<double>(std::abs(wa[i] - plain[i])));
    CHECK(moved > 1e-4);
}

// The adapted weights recorded from the native build (x86-64, AVX kernels): the WebAssembly
// build, with other SIMD kernels and summation orders inside the frozen layers, must give
// the same numbers within float tolerance. Re-record only when adaptation itself changes.
TEST_CASE("native and WebAssembly give the same adapted weights") {
    const Model base = test::random_model({.labels = {"angry", "happy", "neutral", "sad"}});
    AdaptOptions o = quick("norm+head");
    o.leave_one_out = false;
    Model a = adapt_model(base, clips_of({{0, 3}, {1, 2}, {3, 3}}), o).model;
    const auto w = tensor(a, "logits", "weight");
    const auto b = tensor(a, "logits", "bias");
    double sum = 0.0, sq = 0.0;
    for (float v : w) {
        sum += v;
        sq += static_cast<double>(v) * v;
    }
    const std::vector<double> recorded_bias = {0.0851909071, -0.218130037, 0.0941434056, -0.198444158};
    INFO(std::setprecision(9) << "bias " << b[0] << ", " << b[1] << ", " << b[2] << ", " << b[3] << "; weight sum " << sum << ", squares " << sq
                    << ", w[5] " << w[5] << ", norm.std[10] " << a.normalisation.std[10]);
    for (std::size_t i = 0; i < 4; ++i) CHECK(b[i] == doctest::Approx(recorded_bias[i]).epsilon(1e-4));
    CHECK(sum == doctest::Approx(1.50212846).epsilon(1e-4));
    CHECK(sq == doctest::Approx(6.0402628).epsilon(1e-4));
    CHECK(w[5] == doctest::Approx(0.601451099).epsilon(1e-4));
    CHECK(a.normalisation.std[10] == doctest::Approx(6.96238232).epsilon(1e-5));
}
