#include "training_test_support.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <stdexcept>
#include <unistd.h>

namespace ser::test {

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("ser-training-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

namespace {

template <class T>
void put(std::ofstream& out, T value) {
    out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace

void write_tiny_wav(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    constexpr int rate = 16000;
    constexpr int samples = rate / 20;
    std::ofstream out(path, std::ios::binary);
    out.write("RIFF", 4);
    put<std::uint32_t>(out, 36 + samples * 2);
    out.write("WAVEfmt ", 8);
    put<std::uint32_t>(out, 16);
    put<std::uint16_t>(out, 1);  // PCM
    put<std::uint16_t>(out, 1);  // mono
    put<std::uint32_t>(out, rate);
    put<std::uint32_t>(out, rate * 2);
    put<std::uint16_t>(out, 2);
    put<std::uint16_t>(out, 16);
    out.write("data", 4);
    put<std::uint32_t>(out, samples * 2);
    for (int i = 0; i < samples; ++i)
        put<std::int16_t>(out, static_cast<std::int16_t>(3000.0 * std::sin(2.0 * std::numbers::pi * 220.0 * i / rate)));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

std::vector<float> harmonic_tone(double f0, int harmonics, double seconds, int sample_rate) {
    const auto n = static_cast<std::size_t>(seconds * sample_rate);
    std::vector<float> tone(n);
    for (std::size_t i = 0; i < n; ++i) {
        double v = 0.0;
        for (int h = 1; h <= harmonics; ++h)
            v += std::sin(2.0 * std::numbers::pi * h * f0 * static_cast<double>(i) / sample_rate) / h;
        tone[i] = static_cast<float>(0.3 * v);
    }
    return tone;
}

double estimate_pitch(std::span<const float> samples, int sample_rate) {
    const int min_lag = sample_rate / 500, max_lag = sample_rate / 60;
    const std::size_t n = samples.size() - static_cast<std::size_t>(max_lag) - 1;
    std::vector<double> r(static_cast<std::size_t>(max_lag) + 2, 0.0);
    for (int lag = min_lag - 1; lag <= max_lag + 1; ++lag) {
        double cross = 0.0, e0 = 0.0, e1 = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            cross += static_cast<double>(samples[i]) * samples[i + static_cast<std::size_t>(lag)];
            e0 += static_cast<double>(samples[i]) * samples[i];
            e1 += static_cast<double>(samples[i + static_cast<std::size_t>(lag)]) * samples[i + static_cast<std::size_t>(lag)];
        }
        r[static_cast<std::size_t>(lag)] = cross / std::sqrt(e0 * e1 + 1e-30);
    }
    double best = -1.0;
    for (int lag = min_lag; lag <= max_lag; ++lag) best = std::max(best, r[static_cast<std::size_t>(lag)]);
    for (int lag = min_lag; lag <= max_lag; ++lag) {
        const double here = r[static_cast<std::size_t>(lag)];
        if (here >= 0.95 * best && here >= r[static_cast<std::size_t>(lag - 1)] && here >= r[static_cast<std::size_t>(lag + 1)]) {
            const double a = r[static_cast<std::size_t>(lag - 1)], c = r[static_cast<std::size_t>(lag + 1)];
            const double offset = 0.5 * (a - c) / (a - 2.0 * here + c);
            return sample_rate / (lag + offset);
        }
    }
    return 0.0;
}

double rms(std::span<const float> samples) {
    double sum = 0.0;
    for (float v : samples) sum += static_cast<double>(v) * v;
    return std::sqrt(sum / static_cast<double>(samples.size()));
}

std::vector<CorpusItem> synthetic_items(const std::string& corpus_prefix, int actors, int per_actor) {
    static const char* emotions[] = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"};
    std::vector<CorpusItem> items;
    for (int a = 1; a <= actors; ++a) {
        for (int k = 0; k < per_actor; ++k) {
            CorpusItem item;
            char speaker[32];
            std::snprintf(speaker, sizeof speaker, "%s:%02d", corpus_prefix.c_str(), a);
            item.speaker = speaker;
            item.path = "/synthetic/" + item.speaker + "/" + std::to_string(k) + ".wav";
            item.gender = a % 2 == 1 ? Gender::male : Gender::female;
            item.emotion = item.label = emotions[k % 8];
            items.push_back(item);
        }
    }
    return items;
}

}  // namespace ser::test
