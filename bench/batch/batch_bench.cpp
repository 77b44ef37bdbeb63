// The shipped model's network as the batch benchmark's Python peer needs it, and what it
// reaches on one core: writes DIR/net.json (the folded layer list with its weights, the
// normalisation and feature settings, a batch of inputs and our logits for the peer to
// reproduce) and prints one JSON object: the network's cost per analysis window and its
// share of one core's measured peak.
//   batch_bench --export DIR [MODEL_JSON]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.h"
#include "nn/rng.h"
#include "support/flops.h"
#include "model/network_json.h"

using nlohmann::json;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json export_net(const ser::Model& model, ser::nn::Network& net) {
    json weights = json::array();
    for (const auto& l : net.layers()) {
        json w = json::object();
        for (const ser::nn::Param* p : l->tensors()) w[p->name] = p->value;
        weights.push_back(w);
    }
    const ser::nn::Shape in = net.input_shape();
    const int n = 4;
    std::vector<float> x(static_cast<std::size_t>(in.size()) * n);
    ser::nn::fill_uniform(x, 11, -2.0f, 2.0f);
    const ser::nn::Batch& out = net.forward(x, n, {});
    const auto& f = model.features;
    json j;
    j["architecture"] = ser::network_to_json(net);
    j["weights"] = weights;
    j["normalisation"] = {{"mean", model.normalisation.mean},
                          {"std", model.normalisation.std},
                          {"per_utterance", model.normalisation.per_utterance}};
    j["features"] = {{"sample_rate", f.sample_rate}, {"n_fft", f.stft.n_fft}, {"hop_length", f.stft.hop_length},
                     {"n_mels", f.mel.n_mels}, {"fmin", f.mel.fmin}, {"fmax", f.mel.fmax.value_or(f.sample_rate / 2.0)}, {"amin", f.db.amin},
                     {"ref", f.db.ref}, {"top_db", f.db.top_db.value_or(0.0)}};
    j["analysis"] = {{"window_s", model.analysis.window_s}, {"hop_s", model.analysis.hop_s}, {"edge_s", model.analysis.edge_s}};
    j["n"] = n;
    j["input"] = x;
    j["logits"] = std::vector<float>(out.data.begin(), out.data.begin() + static_cast<std::ptrdiff_t>(out.sample_size()) * n);
    return j;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = SER_DEFAULT_MODEL, dir;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--export") && i + 1 < argc) dir = argv[++i];
        else path = argv[i];
    }
    if (dir.empty()) {
        std::fprintf(stderr, "usage: batch_bench --export DIR [MODEL_JSON]\n");
        return 2;
    }
    try {
        const ser::Model model = ser::load_model(read(path));
        ser::nn::Network net = model.network.folded();
        std::ofstream(dir + "/net.json") << export_net(model, net).dump();
        net.freeze();  // after the export, whose access to the layers ends a freeze: timed as inference runs

        std::vector<float> x(static_cast<std::size_t>(net.input_shape().size()), 0.25f);
        for (int i = 0; i < 20; ++i) net.forward(x, 1, {});
        std::vector<double> times;
        for (int i = 0; i < 300; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            net.forward(x, 1, {});
            times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        std::sort(times.begin(), times.end());
        const double window_s = times[times.size() / 2];
        const double peak = ser::bench::peak_flops_one_core();
        const double done = ser::bench::forward_flops(net, true);
        std::printf("%s\n", json{{"network_ms_per_window", window_s * 1e3},
                                 {"network_mflop", ser::bench::forward_flops(net) / 1e6},
                                 {"network_mflop_done", done / 1e6},
                                 {"peak_gflops_one_core", peak / 1e9},
                                 {"network_share_of_peak", done / window_s / peak}}
                                .dump()
                                .c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batch_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
