// Speed of the CNN engine on the seed net and the temporal net: batch-1 latency and batch-64
// throughput with the SIMD kernels and with the scalar reference, one training epoch, and
// the machine's measured FMA peak. Prints one JSON document; bench/nn/run.sh puts it next
// to the peers' figures from the same run.
//
//   nn_bench [--quick] [--export DIR] [--inference-only]
// --inference-only skips the scalar reference and the training epoch (nn_bench_scalar uses it).
// --export writes DIR/<net>.json (architecture, weights, a batch of inputs and our logits)
// for the peer scripts, which must reproduce the logits to 1e-4.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/layers.h"
#include "nn/network.h"
#include "nn/reference.h"
#include "nn/rng.h"
#include "nn/simd.h"
#include "nn/trainer.h"
#include "support/flops.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using ser::bench::forward_flops;
using ser::bench::peak_flops_one_core;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

template <class F>
double median_seconds(int reps, F&& f) {
    std::vector<double> t;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = Clock::now();
        f();
        t.push_back(seconds_since(t0));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

std::vector<float> uniform(std::size_t n, std::uint64_t seed) {
    std::vector<float> v(n);
    nn::fill_uniform(v, seed, -1.0f, 1.0f);
    return v;
}

json read_file_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

json bench_net(const std::string& label, const std::string& arch_path, bool quick, bool inference_only,
               const std::string& export_dir) {
    nn::Network trained = ser::network_from_json(read_file_json(arch_path));
    trained.init(1);
    const nn::Shape in = trained.input_shape();
    const std::size_t per = static_cast<std::size_t>(in.size());
    json r{{"net", label}, {"parameters", trained.parameter_count()}};

    nn::Network net = trained.folded();
    net.freeze();
    r["forward_mflop"] = forward_flops(net) / 1e6;
    r["forward_mflop_done"] = forward_flops(net, true) / 1e6;
    const auto x64 = uniform(per * 64, 7);
    const std::span<const float> x1(x64.data(), per);
    net.forward(x1, 1, {});
    const int reps = quick ? 20 : 200;
    const double b1 = median_seconds(reps, [&] { net.forward(x1, 1, {}); });
    net.forward(x64, 64, {});
    const double b64 = median_seconds(quick ? 3 : 15, [&] { net.forward(x64, 64, {}); });
    r["batch1_ms"] = b1 * 1e3;
    r["batch64_ms"] = b64 * 1e3;
    r["batch1_gflops"] = forward_flops(net) / b1 / 1e9;  // effective (direct-convolution FLOPs)
    r["batch64_gflops"] = 64 * forward_flops(net) / b64 / 1e9;
    r["batch1_gflops_done"] = forward_flops(net, true) / b1 / 1e9;
    r["batch64_gflops_done"] = 64 * forward_flops(net, true) / b64 / 1e9;
    if (!export_dir.empty()) {  // the peers reproduce these logits from the same weights
        json weights = json::array();
        for (const auto& l : trained.layers()) {
            json w = json::object();
            for (const nn::Param* p : l->tensors()) w[p->name] = p->value;
            weights.push_back(w);
        }
        const int n = 4;
        const nn::Batch& ld = net.forward(std::span(x64).first(per * n), n, {});
        const std::vector<float> logits(ld.data.begin(), ld.data.begin() + static_cast<std::ptrdiff_t>(ld.sample_size() * n));
        std::ofstream file(export_dir + "/" + label + ".json");
        if (!file) throw std::runtime_error("cannot write " + export_dir + "/" + label + ".json");
        file << json{{"architecture", ser::network_to_json(trained)}, {"weights", weights}, {"n", n},
                    {"input", std::vector<float>(x64.begin(), x64.begin() + static_cast<std::ptrdiff_t>(per * n))},
                    {"logits", logits}}
                   .dump();
    }

    if (inference_only) return r;
    const double scalar = median_seconds(quick ? 2 : 5, [&] { nn::reference_forward(trained, x1); });
    r["scalar_batch1_ms"] = scalar * 1e3;
    r["simd_over_scalar"] = scalar / b1;

#ifndef SER_WASM
    // One epoch of 1440 samples in batches of 64 on every core, as the training CLI runs it.
    const int samples = 1440, batch = 64;
    nn::Network train_net = trained.clone();
    nn::Trainer trainer(train_net, nn::OptimizerConfig{}, {}, 0, 1);
    const auto data = uniform(per * samples, 3);
    std::vector<int> labels(samples);
    for (int i = 0; i < samples; ++i) labels[static_cast<std::size_t>(i)] = i % train_net.output_shape().channels;
    auto epoch = [&] {
        for (int s = 0; s < samples; s += batch) {
            const int n = std::min(batch, samples - s);
            trainer.step({std::span(data).subspan(per * s, per * n), n, std::span(labels).subspan(s, n), {}, {}, {}}, 1e-4f);
        }
    };
    epoch();  // warm-up
    const double e = median_seconds(quick ? 1 : 3, epoch);
    r["epoch_s"] = e;
    r["epoch_threads"] = trainer.pool().threads();
    r["epoch_gflops"] = 3.0 * samples * forward_flops(net) / e / 1e9;
#endif
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false, inference_only = false;
    std::string export_dir, data_dir = SER_BENCH_DATA_DIR;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true;
        else if (!std::strcmp(argv[i], "--inference-only")) inference_only = true;
        else if (!std::strcmp(argv[i], "--export") && i + 1 < argc) export_dir = argv[++i];
        else {
            std::fprintf(stderr, "usage: nn_bench [--quick] [--export DIR] [--inference-only]\n");
            return 2;
        }
    }
    try {
        json out{{"target",
#ifdef SER_WASM
                  "wasm"
#else
                  "native"
#endif
                 },
                 {"simd", simd::name},
                 {"lanes", simd::width},
                 {"peak_gflops_one_core", peak_flops_one_core() / 1e9}};
        out["nets"] = json::array({bench_net("seed", data_dir + "/seed_net.json", quick, inference_only, export_dir),
                                   bench_net("temporal", data_dir + "/temporal_net.json", quick, inference_only, export_dir)});
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nn_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
