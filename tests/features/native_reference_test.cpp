// The same real recordings through the same resampler and features, compared with numbers
// the native build computed and stored in tests/features/data/native_reference.json. Under
// node this is the WASM-vs-native agreement test (1e-5); natively it guards the stored file.
//
// Regenerate (native only, after an intended change of the numbers):
//   SER_WRITE_NATIVE_REFERENCE=1 build/<dir>/bin/test_features -tc="*native reference*"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "audio/resampler.h"
#include "features/feature_extractor.h"
#include "support/test_support.h"
#include "wav16.h"

using namespace ser;
using nlohmann::json;

namespace {

const char* const clips[] = {"03-01-02-01-01-02-01.wav", "OAF_food_fear.wav", "YAF_back_happy.wav"};
constexpr int samples_per_feature = 48;

std::filesystem::path reference_path() { return test::source_dir() / "tests" / "features" / "data" / "native_reference.json"; }

// Deterministic positions spread over a matrix (the same on every platform).
std::vector<std::size_t> positions(std::size_t size, std::uint32_t seed) {
    std::vector<std::size_t> at;
    std::uint32_t state = seed * 2654435761u + 12345u;
    for (int i = 0; i < samples_per_feature && size > 0; ++i) {
        state = state * 1664525u + 1013904223u;
        at.push_back(static_cast<std::size_t>(state >> 8) % size);
    }
    return at;
}

// Nine significant digits: exact for a float, and short in the stored file.
double rounded(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", v);
    return std::strtod(text, nullptr);
}

// What is stored of one matrix: shape, its row means, and values at sampled positions.
json summary(const FeatureMatrix& m, std::uint32_t seed) {
    json row_means = json::array();
    for (int r = 0; r < m.rows; ++r) {
        double sum = 0.0;
        for (int t = 0; t < m.cols; ++t) sum += m.at(r, t);
        row_means.push_back(rounded(m.cols ? sum / m.cols : 0.0));
    }
    json values = json::array();
    for (std::size_t i : positions(m.values.size(), seed)) values.push_back(json::array({i, rounded(m.values[i])}));
    return {{"rows", m.rows}, {"cols", m.cols}, {"row_means", row_means}, {"values", values}};
}

json compute_clip(const std::string& name) {
    const auto wav = test::read_wav16(test::shared_dir() / "data" / "originals" / name);
    json clip = {{"file", name}, {"source_rate", wav.sample_rate}};
    std::uint32_t seed = 1;
    for (const char* preset : {"default", "librosa"}) {
        const FeatureConfig config = feature_preset(preset);
        const std::vector<float> pcm = resample(wav.samples, wav.sample_rate, config.sample_rate);
        clip[preset]["pcm"] = summary(FeatureMatrix{1, static_cast<int>(pcm.size()), pcm}, seed++);
        for (const auto& entry : FeatureExtractor(config).compute_named(pcm)) clip[preset][entry.first] = summary(entry.second, seed++);
        if (config.sample_rate == 22050) {
            FeatureExtractor recipe(feature_preset("recipe162"));
            FeatureMatrix vector;
            recipe.compute(pcm, vector);
            for (float v : vector.values) clip["recipe162"].push_back(rounded(v));
        }
    }
    return clip;
}

bool close(double actual, double expected) { return std::fabs(actual - expected) <= 1e-5 * std::max(1.0, std::fabs(expected)); }

struct Agreement {
    int mismatches = 0;
    double worst = 0.0;  // the largest |a - b| / max(1, |b|)
};

void compare(const json& actual, const json& expected, const std::string& where, Agreement& agreement) {
    int& mismatches = agreement.mismatches;
    if (expected.is_number()) {
        const double b = expected.get<double>();
        agreement.worst = std::max(agreement.worst, std::fabs(actual.get<double>() - b) / std::max(1.0, std::fabs(b)));
        if (!close(actual.get<double>(), expected.get<double>())) {
            if (++mismatches <= 10) MESSAGE(where << ": " << actual.get<double>() << " vs native " << expected.get<double>());
        }
        return;
    }
    if (expected.is_string()) {
        CHECK(actual == expected);
        return;
    }
    REQUIRE(actual.size() == expected.size());
    if (expected.is_array()) {
        for (std::size_t i = 0; i < expected.size(); ++i) compare(actual[i], expected[i], where + "[" + std::to_string(i) + "]", agreement);
    } else {
        for (const auto& item : expected.items()) {
            REQUIRE(actual.contains(item.key()));
            compare(actual[item.key()], item.value(), where + "." + item.key(), agreement);
        }
    }
}

}  // namespace

TEST_SUITE("features.native_reference") {

TEST_CASE("real clips agree with the native reference numbers to 1e-5") {
    SER_REQUIRE_SHARED("data/originals");
    if (std::getenv("SER_WRITE_NATIVE_REFERENCE")) {
        std::ofstream out(reference_path());
        const char* separator = "[\n";
        for (const char* name : clips) {
            out << separator << compute_clip(name).dump();  // one clip per line
            separator = ",\n";
        }
        out << "\n]\n";
        MESSAGE("wrote " << reference_path().string());
        return;
    }
    std::ifstream in(reference_path());
    REQUIRE_MESSAGE(in.good(), "missing " << reference_path().string());
    const json stored = json::parse(in);
    REQUIRE(stored.size() == std::size(clips));
    for (std::size_t i = 0; i < std::size(clips); ++i) {
        const std::string clip = clips[i];
        CAPTURE(clip);
        Agreement agreement;
        compare(compute_clip(clip), stored[i], clip, agreement);
        MESSAGE(clip << ": largest deviation from the native numbers " << agreement.worst);
        CHECK(agreement.mismatches == 0);
    }
}

}
