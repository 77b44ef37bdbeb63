#pragma once
// A speaker's own input statistics, gathered from their windows as the network sees them
// (after each window's own steps: the dB floor and its per-utterance mean; before the
// training set's mean and std). Used in place of the training set's, they fit the input to
// one voice without any labels: the "norm" part of adaptation (adapt.h), from a handful of
// clips (alone, the zero-shot case of `ser eval --adapt-shots`).

#include <cstddef>
#include <span>
#include <vector>

#include "model/model.h"

namespace ser {

class SpeakerStatistics {
public:
    explicit SpeakerStatistics(const Model& model);

    // One window's input after only the window's own steps (normalise_input without the
    // global statistics).
    void add_centred(std::span<const float> input);

    std::size_t windows() const { return windows_; }
    // The model's normalisation with the speaker's mean and std; the model's own while no
    // window was added or when it has no global statistics.
    Normalisation normalisation() const;

private:
    std::size_t stat_index(std::size_t value) const;

    Normalisation base_;
    int channels_ = 0, time_ = 0;
    bool pooled_ = false;
    std::vector<double> sum_, sq_, count_;
    std::size_t windows_ = 0;
};

}  // namespace ser
