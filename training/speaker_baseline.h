#pragma once
// A speaker's lean in the model's answers, learnt without labels: the mean log-probability of
// each label over the speech heard so far. Dividing it out of each answer takes away the
// "on my voice it always says sad" bias of a voice, language or microphone the model never
// heard. It assumes the speech learnt from shows every label about equally: on a voice that
// stays in one emotion, or a corpus without some of the labels, it spreads answers that were
// right over the others. `ser eval --adapt-shots 0` measures it beside the other zero-label
// idea (the speaker's input statistics); it is not in the page or `ser predict`, because on
// the shipped label set it did not measure better everywhere (docs/ADAPTATION.md).

#include <span>
#include <vector>

namespace ser {

class SpeakerBaseline {
public:
    // prior_s: seconds of speech the baseline is shrunk toward "no lean" by, so that the first
    // seconds move answers little.
    explicit SpeakerBaseline(int labels, double prior_s = 5.0);

    // Learns from one answer (probabilities summing to one) resting on `speech_s` of speech.
    void add(std::span<const float> probabilities, double speech_s);
    // Takes the lean learnt so far out of `probabilities`, in place; they still sum to one.
    void apply(std::span<float> probabilities) const;
    void reset();

    double learnt_s() const { return weight_; }
    // The lean per label, in log-probability relative to the labels' mean (zero before any).
    std::vector<double> lean() const;

private:
    double prior_s_;
    double weight_ = 0.0;
    std::vector<double> sum_;  // speech-weighted log-probabilities
};

}  // namespace ser
