// What a live hop costs with the shipped model: a live Analyzer that computes only each
// hop's new feature frames against one that computes every window's features whole (the
// path before), fed the same 48 kHz microphone-like stream in the page's 20 ms blocks,
// block by block in turn, so that both see the same machine load. Per hop with speech: the
// median features, inference and their sum (what the page reports as its per-hop cost);
// and the whole push path (resampling, voice activity, features, inference) per second of
// audio. Prints one JSON object; bench/live/run.sh puts native and WASM side by side.
//   live_bench [MODEL_JSON] [--seconds N]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "model/model.h"

namespace {

constexpr int input_rate = 48000;
constexpr std::size_t block = 960;  // 20 ms: the page's worklet batches

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Syllable-rate bursts of a gliding tone: every window holds "speech" for the voice
// activity, so every hop runs the network (the cost of the audio's content is the same).
std::vector<float> speechlike(double seconds) {
    std::vector<float> pcm(static_cast<std::size_t>(seconds * input_rate));
    double phase = 0.0;
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        const double t = static_cast<double>(i) / input_rate;
        phase += 2.0 * M_PI * (150.0 + 60.0 * std::sin(1.3 * t)) / input_rate;
        pcm[i] = static_cast<float>((0.5 + 0.5 * std::sin(2.0 * M_PI * 4.0 * t)) * 0.3 * std::sin(phase));
    }
    return pcm;
}

struct PathCost {
    std::vector<double> features, inference, total;
    double push_ms = 0.0;

    void note(const ser::AnalysedWindow& r) {
        if (!r.activity.is_speech) return;
        features.push_back(r.feature_ms);
        inference.push_back(r.inference_ms);
        total.push_back(r.feature_ms + r.inference_ms);
    }
};

void push_timed(ser::Analyzer& live, std::span<const float> piece, PathCost& cost) {
    const auto start = std::chrono::steady_clock::now();
    live.push(piece, [&](const ser::AnalysedWindow& r) { cost.note(r); });
    cost.push_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void print_path(const char* name, const PathCost& c, double seconds, bool last) {
    std::printf("\"%s\": {\"hops\": %zu, \"features_ms\": %.4f, \"inference_ms\": %.4f, \"hop_ms\": %.4f, "
                "\"push_ms_per_s\": %.4f}%s",
                name, c.total.size(), median(c.features), median(c.inference), median(c.total), c.push_ms / seconds,
                last ? "" : ", ");
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = SER_DEFAULT_MODEL;
    double seconds = 60.0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc) seconds = std::max(5.0, std::atof(argv[++i]));
        else path = arg;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        std::fprintf(stderr, "live_bench: cannot read %s\n", path.c_str());
        return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    try {
        const ser::Model model = ser::load_model(text.str());
        ser::Analyzer incremental(model, input_rate, ser::LiveSettings{});
        ser::Analyzer whole(model, input_rate, ser::LiveSettings{.incremental_features = false});
        if (!incremental.incremental()) {
            std::fprintf(stderr, "live_bench: %s's features are not frame-local: both paths would be the same\n", path.c_str());
            return 1;
        }
        const std::vector<float> pcm = speechlike(seconds);
        PathCost a, b;
        for (std::size_t at = 0; at < pcm.size(); at += block) {
            const auto piece = std::span(pcm).subspan(at, std::min(block, pcm.size() - at));
            push_timed(incremental, piece, a);
            push_timed(whole, piece, b);
        }
        std::printf("{\"seconds\": %.1f, \"hop_s\": %.3f, ", seconds, model.analysis.hop_s);
        print_path("incremental", a, seconds, false);
        print_path("whole_window", b, seconds, true);
        std::printf("}\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "live_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
