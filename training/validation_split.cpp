#include "training/validation_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "nn/rng.h"
#include "training/splits.h"

namespace ser {

namespace {

ValidationSplit split_files_by_label(std::span<const CorpusItem> items, std::span<const std::size_t> train_side,
                                     double fraction, nn::Rng& rng) {
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i : train_side) by_label[items[i].label].push_back(i);
    ValidationSplit split;
    for (auto& [label, indices] : by_label) {
        rng.shuffle(std::span<std::size_t>(indices));
        const auto n = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(indices.size())));
        split.validation.insert(split.validation.end(), indices.begin(), indices.begin() + static_cast<std::ptrdiff_t>(n));
        split.train.insert(split.train.end(), indices.begin() + static_cast<std::ptrdiff_t>(n), indices.end());
    }
    return split;
}

// Speakers eligible for validation: those holding at most `fraction` of the files. One
// speaker with far more files than the rest (a TESS talker beside RAVDESS actors) would
// otherwise fill the validation set alone, and early stopping would measure that voice.
ValidationSplit split_speakers(std::span<const CorpusItem> items, std::span<const std::size_t> train_side,
                               double fraction, nn::Rng& rng) {
    std::map<std::string, std::vector<std::size_t>> files_of;
    std::map<std::string, Gender> gender_of;
    for (std::size_t i : train_side) {
        files_of[items[i].speaker].push_back(i);
        gender_of.emplace(items[i].speaker, items[i].gender);
    }
    const double largest_allowed = fraction * static_cast<double>(train_side.size());
    std::vector<std::vector<std::string>> queues;
    for (Gender gender : {Gender::male, Gender::female, Gender::unknown}) {
        std::vector<std::string> queue;
        for (const auto& [speaker, g] : gender_of)
            if (g == gender && static_cast<double>(files_of[speaker].size()) <= largest_allowed) queue.push_back(speaker);
        rng.shuffle(std::span<std::string>(queue));
        if (!queue.empty()) queues.push_back(std::move(queue));
    }

    const auto wanted = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::lround(fraction * static_cast<double>(files_of.size()))), 1, files_of.size() - 1);
    ValidationSplit split;
    split.speaker_held_out = true;
    std::vector<std::size_t> next(queues.size(), 0);
    for (std::size_t turn = 0, exhausted = 0; split.validation_speakers.size() < wanted && exhausted < queues.size(); ++turn) {
        const std::size_t q = turn % queues.size();
        if (next[q] == queues[q].size()) {
            ++exhausted;
            continue;
        }
        exhausted = 0;
        split.validation_speakers.push_back(queues[q][next[q]++]);
    }
    std::sort(split.validation_speakers.begin(), split.validation_speakers.end());
    for (const auto& [speaker, files] : files_of) {
        const bool held_out = std::binary_search(split.validation_speakers.begin(), split.validation_speakers.end(), speaker);
        auto& side = held_out ? split.validation : split.train;
        side.insert(side.end(), files.begin(), files.end());
    }
    return split;
}

}  // namespace

ValidationSplit validation_split(std::span<const CorpusItem> items, std::span<const std::size_t> train_side,
                                 double fraction, std::uint64_t seed) {
    if (!(fraction > 0.0 && fraction < 1.0))
        throw std::invalid_argument("the validation fraction must be between 0 and 1, not " + std::to_string(fraction));
    if (train_side.empty()) throw std::invalid_argument("validation split: the training side is empty");
    for (std::size_t i : train_side)
        if (i >= items.size())
            throw std::invalid_argument("validation split: item index " + std::to_string(i) + " is out of range (" +
                                        std::to_string(items.size()) + " items)");
    std::map<std::string, int> speakers;
    for (std::size_t i : train_side) speakers[items[i].speaker] = 1;

    nn::Rng rng(seed);
    ValidationSplit split = speakers.size() >= 2 ? split_speakers(items, train_side, fraction, rng) : ValidationSplit{};
    if (split.validation_speakers.empty()) split = split_files_by_label(items, train_side, fraction, rng);
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    split.train = without_duplicates_of(items, split.train, split.validation);
    return split;
}

}  // namespace ser
