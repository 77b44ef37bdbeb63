// ser_test_tool: what the e2e tests need and the `ser` CLI does not make.
//
//   ser_test_tool model OUT.json [SEED] [pooled]
//                                          a model with random weights (default features and a
//                                          small temporal CNN, or with `pooled` the 162-dim
//                                          utterance vector of the seed recipe), the RAVDESS
//                                          labels and a made-up training record, so the model
//                                          card has every field
//   ser_test_tool convert IN OUT          audio converted by libsndfile; OUT's extension picks
//                                          the format: .mp3, .opus, .ogg (Vorbis), .flac, .wav

#include <sndfile.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/model.h"
#include "support/random_model.h"

namespace {

ser::Model random_model(std::uint64_t seed, bool pooled) {
    using ser::test::ModelInput;
    ser::Model m = ser::test::random_model(
        {.input = pooled ? ModelInput::pooled : ModelInput::frames,
         .seed = seed,
         .labels = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"},
         .filters = 16});
    nlohmann::json confusion = nlohmann::json::array();
    for (int t = 0; t < 8; ++t) {
        nlohmann::json row = nlohmann::json::array();
        for (int p = 0; p < 8; ++p) row.push_back(t == p ? 12 + t : (t + p) % 3);
        confusion.push_back(row);
    }
    m.training = {{"data", {{"corpora", {{{"corpus", "ravdess"}, {"files", 1440}, {"speakers", 24}}}}}},
                  {"metrics",
                   {{"labels", m.labels},
                    {"accuracy", 0.5},
                    {"accuracy_sd", 0.05},
                    {"uar", 0.48},
                    {"uar_sd", 0.06},
                    {"protocol", "speaker"},
                    {"protocol_description", "random weights for tests: these figures are made up"},
                    {"confusion", confusion}}},
                  {"seed", seed},
                  {"date", "2000-01-01T00:00:00Z"}};
    return m;
}

int format_for(const std::string& path) {
    const auto dot = path.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    if (ext == "mp3") return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    if (ext == "opus") return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    if (ext == "ogg") return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    if (ext == "flac") return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    if (ext == "wav") return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    throw std::invalid_argument("unknown output extension in " + path + " (use .mp3, .opus, .ogg, .flac or .wav)");
}

void convert(const std::string& in_path, const std::string& out_path) {
    SF_INFO in_info{};
    SNDFILE* in = sf_open(in_path.c_str(), SFM_READ, &in_info);
    if (!in) throw std::runtime_error("cannot read " + in_path + ": " + sf_strerror(nullptr));
    SF_INFO out_info{};
    out_info.samplerate = in_info.samplerate;
    out_info.channels = in_info.channels;
    out_info.format = format_for(out_path);
    SNDFILE* out = sf_open(out_path.c_str(), SFM_WRITE, &out_info);
    if (!out) {
        sf_close(in);
        throw std::runtime_error("cannot write " + out_path + ": " + sf_strerror(nullptr));
    }
    std::vector<float> block(4096 * static_cast<std::size_t>(in_info.channels));
    for (;;) {
        const sf_count_t frames = sf_readf_float(in, block.data(), 4096);
        if (frames <= 0) break;
        sf_writef_float(out, block.data(), frames);
    }
    sf_close(out);
    sf_close(in);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string command = argc > 1 ? argv[1] : "";
        if (command == "model" && argc >= 3 && argc <= 5) {
            const std::uint64_t seed = argc >= 4 ? std::strtoull(argv[3], nullptr, 10) : 1;
            const bool pooled = argc == 5 && std::string(argv[4]) == "pooled";
            if (argc == 5 && !pooled) throw std::invalid_argument(std::string("unknown model kind ") + argv[4] + " (use pooled)");
            std::ofstream file(argv[2]);
            file << ser::save_model(random_model(seed, pooled));
            if (!file.flush()) throw std::runtime_error(std::string("cannot write ") + argv[2]);
            return 0;
        }
        if (command == "convert" && argc == 4) {
            convert(argv[2], argv[3]);
            return 0;
        }
        std::fprintf(stderr, "usage: ser_test_tool model OUT.json [SEED] [pooled] | ser_test_tool convert IN OUT\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ser_test_tool: %s\n", e.what());
        return 1;
    }
}
