// What one analysis window of the shipped model costs: features, then inference, on 2 s of
// the model's own selftest chirp (the cost does not depend on what the audio says), timed
// call by call. Prints one
// JSON object; bench/model/run.sh puts the native and WASM runs side by side.
//   model_bench [MODEL_JSON] [--windows N]

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/predictor.h"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = SER_DEFAULT_MODEL;
    int windows = 400;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--windows" && i + 1 < argc) {
            windows = std::max(10, std::atoi(argv[++i]));
        } else {
            path = arg;
        }
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::fprintf(stderr, "model_bench: cannot read %s\n", path.c_str());
        return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    try {
        const ser::Model model = ser::load_model(text.str());
        ser::Predictor predictor(model);
        const int rate = predictor.sample_rate();
        std::vector<float> window = ser::synthesise(model.selftest.signal, rate);
        window.resize(static_cast<std::size_t>(2 * rate), 0.0f);  // exactly the page's 2 s window
        for (int i = 0; i < 20; ++i) predictor.probabilities(window);  // warm caches and buffers
        std::vector<double> features, inference, total;
        for (int i = 0; i < windows; ++i) {
            predictor.probabilities(window);
            features.push_back(predictor.last_feature_ms());
            inference.push_back(predictor.last_inference_ms());
            total.push_back(predictor.last_feature_ms() + predictor.last_inference_ms());
        }
        std::printf("{\"windows\": %d, \"window_s\": 2.0, \"model_bytes\": %zu, \"features_ms\": %.4f, "
                    "\"inference_ms\": %.4f, \"total_ms\": %.4f, \"total_p90_ms\": %.4f}\n",
                    windows, text.str().size(), median(features), median(inference), median(total),
                    percentile(total, 0.9));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "model_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
