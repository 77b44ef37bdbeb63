#include "model/selftest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/predictor.h"
#include "nn/rng.h"

namespace ser {
namespace {

constexpr int probe_count = 32;

std::vector<float> network_logits(const Model& m, std::uint64_t seed) {
    nn::Network net = m.network.folded();
    std::vector<float> x(static_cast<std::size_t>(net.input_shape().size()));
    nn::fill_uniform(x, seed, -1.0f, 1.0f);
    const nn::Batch& out = net.forward(x, 1, {});
    return {out.data.begin(), out.data.begin() + static_cast<std::ptrdiff_t>(out.sample_size())};
}

FeatureDigest digest(const FeatureMatrix& f) {
    FeatureDigest d;
    d.rows = f.rows;
    d.cols = f.cols;
    double sum = 0.0, sq = 0.0;
    for (float v : f.values) sum += v;
    const double n = static_cast<double>(f.values.size());
    d.mean = sum / n;
    for (float v : f.values) sq += (v - d.mean) * (v - d.mean);
    d.std = std::sqrt(sq / n);
    for (int i = 0; i < probe_count; ++i)
        d.probe.push_back(f.values[static_cast<std::size_t>(i) * (f.values.size() - 1) / (probe_count - 1)]);
    return d;
}

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

void compare_logits(const std::vector<float>& got, const std::vector<float>& want, double tolerance, const char* stage,
                    const char* advice) {
    double scale = 1.0, worst = 0.0;
    for (float v : want) scale = std::max(scale, static_cast<double>(std::abs(v)));
    for (std::size_t i = 0; i < want.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(got[i] - want[i])));
    if (!(worst <= tolerance * scale))
        throw ModelError(std::string("model selftest failed: ") + stage + " logits differ by " + num(worst) +
                         " (allowed " + num(tolerance * scale) + "): " + advice);
}

SelftestSignal signal_for(const Model& m, const Predictor& p) {
    SelftestSignal s;
    s.seconds = std::max(m.analysis.window_s, static_cast<double>(p.min_samples()) / p.sample_rate());
    s.f1_hz = std::min(s.f1_hz, 0.45 * p.sample_rate());
    return s;
}

}  // namespace

Selftest compute_selftest(const Model& model) {
    Selftest s;
    s.network_seed = 1;
    s.network_logits = network_logits(model, s.network_seed);
    Predictor p(model);
    s.signal = signal_for(model, p);
    const auto logits = p.logits(synthesise(s.signal, p.sample_rate()));
    s.pipeline_logits.assign(logits.begin(), logits.end());
    s.features = digest(p.features());
    return s;
}

void verify_selftest(const Model& model) {
    const Selftest& want = model.selftest;
    compare_logits(network_logits(model, want.network_seed), want.network_logits, selftest_network_tolerance, "network",
                   "this build's network engine or the weights differ from the exporter's; re-export the model");

    Predictor p(model);
    std::vector<float> logits;
    try {
        const auto out = p.logits(synthesise(want.signal, p.sample_rate()));
        logits.assign(out.begin(), out.end());
    } catch (const std::invalid_argument& e) {
        throw ModelError(std::string("model selftest failed: the pipeline cannot run on its own test signal: ") + e.what());
    }
    const FeatureDigest got = digest(p.features());
    const FeatureDigest& f = want.features;
    const double scale = std::abs(f.mean) + f.std;
    auto close = [&](double a, double b) { return std::abs(a - b) <= selftest_feature_tolerance * (std::abs(b) + 1e-2 * scale); };
    bool same = got.rows == f.rows && got.cols == f.cols && close(got.mean, f.mean) && close(got.std, f.std) &&
                got.probe.size() == f.probe.size();
    for (std::size_t i = 0; same && i < f.probe.size(); ++i) same = close(got.probe[i], f.probe[i]);
    if (!same)
        throw ModelError("model selftest failed: this build computes different features for the feature_config (got " +
                         std::to_string(got.rows) + "x" + std::to_string(got.cols) + ", mean " + num(got.mean) + ", std " +
                         num(got.std) + "; the file expects " + std::to_string(f.rows) + "x" + std::to_string(f.cols) +
                         ", mean " + num(f.mean) + ", std " + num(f.std) +
                         "); use the ser release the model was made with");
    compare_logits(logits, want.pipeline_logits, selftest_pipeline_tolerance, "pipeline",
                   "the features or normalisation differ from the exporter's; re-export the model");
}

}  // namespace ser
