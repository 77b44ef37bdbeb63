#include "cli/features_command.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "features/feature_config.h"
#include "features/feature_extractor.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"

namespace ser::cli {
namespace {

struct FeaturesOptions {
    std::string file;
    std::string preset = "default";
    std::string format = "json";
};

// The key order of the output, as issue 4 specifies it.
const char* const printed_features[] = {"mel_power", "mel_db", "mfcc", "chroma", "zcr", "rms"};

FeatureConfig resolve_config(const std::string& preset) {
    for (const auto& name : feature_preset_names())
        if (preset == name) return feature_preset(name);
    if (!std::filesystem::is_regular_file(preset)) {
        throw std::invalid_argument("--preset \"" + preset +
                                    "\" is neither a preset (librosa, default, recipe162) nor a readable JSON file");
    }
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(read_text_file(preset));
    } catch (const nlohmann::json::exception& e) {  // a syntax error, or a number too large for a double
        throw std::invalid_argument("feature config " + preset + " is not valid JSON: " + e.what());
    }
    try {
        return feature_config_from_json(json);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(preset + ": " + e.what());
    }
}

// Shortest text that reads back as the same float. to_chars spells an infinity "inf" and a
// NaN "nan", which no JSON or CSV reader takes: such a value is refused, naming its place.
void append_number(std::string& out, float value, const char* feature, int row, int frame) {
    if (!std::isfinite(value)) {
        throw std::domain_error(std::string("refusing to print ") + (std::isnan(value) ? "NaN" : "an infinity") +
                                " as " + feature + "[" + std::to_string(row) + "][" + std::to_string(frame) +
                                "] (a bug: the input audio was checked)");
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void append_row(std::string& out, const FeatureMatrix& m, const char* name, int row) {
    out += '[';
    for (int t = 0; t < m.cols; ++t) {
        if (t) out += ',';
        append_number(out, m.at(row, t), name, row, t);
    }
    out += ']';
}

std::string as_json(int sample_rate, int frames, const std::map<std::string, FeatureMatrix>& features,
                    const FeatureMatrix& recipe) {
    std::string out = "{\"sample_rate\":" + std::to_string(sample_rate) + ",\"n_frames\":" + std::to_string(frames) +
                      ",\"features\":{";
    bool first = true;
    for (const char* name : printed_features) {
        const FeatureMatrix& m = features.at(name);
        out += first ? "\"" : ",\"";
        first = false;
        out += name;
        out += "\":";
        // One-row features (zcr, rms) print as [[...]]: every feature is [bin][frame].
        out += '[';
        for (int r = 0; r < m.rows; ++r) {
            if (r) out += ',';
            append_row(out, m, name, r);
        }
        out += ']';
    }
    out += "},\"recipe162\":";
    append_row(out, recipe, "recipe162", 0);
    out += "}\n";
    return out;
}

// Long format, one value per line, so any tool can pivot it.
std::string as_csv(const std::map<std::string, FeatureMatrix>& features, const FeatureMatrix& recipe) {
    std::string out = "feature,bin,frame,value\n";
    for (const char* name : printed_features) {
        const FeatureMatrix& m = features.at(name);
        for (int r = 0; r < m.rows; ++r) {
            for (int t = 0; t < m.cols; ++t) {
                out += name;
                out += ',' + std::to_string(r) + ',' + std::to_string(t) + ',';
                append_number(out, m.at(r, t), name, r, t);
                out += '\n';
            }
        }
    }
    for (int i = 0; i < recipe.cols; ++i) {
        out += "recipe162," + std::to_string(i) + ",,";
        append_number(out, recipe.at(0, i), "recipe162", 0, i);
        out += '\n';
    }
    return out;
}

void run_features(const FeaturesOptions& options) {
    const FeatureConfig config = resolve_config(options.preset);
    const std::vector<float> pcm = load_audio(options.file, config.sample_rate);

    const FeatureExtractor extractor(config);
    const auto features = extractor.compute_named(pcm);

    // The popular recipe always runs with librosa's defaults, at the preset's sample rate.
    FeatureConfig recipe_config = feature_preset("recipe162");
    recipe_config.sample_rate = config.sample_rate;
    FeatureExtractor recipe_extractor(recipe_config);
    FeatureMatrix recipe;
    recipe_extractor.compute(pcm, recipe);

    const std::string text = options.format == "csv"
                                 ? as_csv(features, recipe)
                                 : as_json(config.sample_rate, extractor.frames_for(pcm.size()), features, recipe);
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
        throw std::runtime_error("could not write the features to standard output");
}

}  // namespace

void add_features_command(CLI::App& app) {
    auto options = std::make_shared<FeaturesOptions>();
    auto* cmd = app.add_subcommand("features", "Decode an audio file and print its features");
    cmd->add_option("FILE", options->file, "Audio file (WAV, FLAC, OGG/Vorbis, ...)")->required();
    cmd->add_option("--preset", options->preset, "librosa, default, recipe162, or a FeatureConfig JSON file")
        ->capture_default_str();
    cmd->add_option("--format", options->format, "json (one object) or csv (feature,bin,frame,value)")
        ->check(CLI::IsMember({"json", "csv"}))
        ->capture_default_str();
    cmd->callback([options] { run_features(*options); });
}

}  // namespace ser::cli
