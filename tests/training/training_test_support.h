#pragma once
// What the training tests share: a temporary folder that cleans up after itself, tiny WAV
// files to name by corpus conventions, synthetic signals and a pitch estimate.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "training/corpus.h"

namespace ser::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A 16-bit mono WAV of 0.05 s of a quiet tone (parent folders are created).
void write_tiny_wav(const std::filesystem::path& path);
void write_text(const std::filesystem::path& path, const std::string& text);

// sum over harmonics h = 1..harmonics of sin(2 pi h f0 t) / h, peak about 0.5.
std::vector<float> harmonic_tone(double f0, int harmonics, double seconds, int sample_rate);

// Fundamental by normalised autocorrelation over `samples`, searched within 60..500 Hz:
// the first lag whose correlation comes within 5 % of the best, refined by a parabola.
double estimate_pitch(std::span<const float> samples, int sample_rate);

double rms(std::span<const float> samples);

// A RAVDESS-like in-memory corpus: `actors` actors (odd male) x `per_actor` files, labels
// cycling through the 8 emotions. No files behind it.
std::vector<CorpusItem> synthetic_items(const std::string& corpus_prefix, int actors, int per_actor);

}  // namespace ser::test
