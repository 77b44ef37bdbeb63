#pragma once
// Sample-rate conversion for every way audio enters ser: decoded files natively, uploads and
// the microphone (fed in 128-sample pieces by an AudioWorklet) in the browser.
//
// A windowed-sinc interpolator at an exact rational step: output sample k is the input
// signal evaluated at time k / output_rate (no delay to compensate: the kernel is centred),
// from the input samples within the kernel's reach, with zeros assumed before the first and
// after the last input sample. Passband flat to 0.91 of the lower Nyquist, stopband from the
// lower Nyquist on (nothing above it survives to alias); design and measured figures are in
// docs/FEATURES.md.
//
// Streaming and one-shot conversion run the same per-sample arithmetic, so any split of the
// input into push() calls gives bit-identical output.

#include <cstdint>
#include <span>
#include <vector>

namespace ser {

class Resampler {
public:
    static constexpr int min_rate = 8000;
    static constexpr int max_rate = 192000;

    // Throws std::invalid_argument when a rate is outside [min_rate, max_rate].
    Resampler(int input_rate, int output_rate);

    // Appends to `output` every output sample the input seen so far fully determines.
    // Throws std::invalid_argument on a non-finite sample (nothing is consumed then) and
    // std::logic_error after finish() until reset().
    void push(std::span<const float> input, std::vector<float>& output);

    // Appends the remaining samples (the input is taken to be zero after its end), so that
    // the total is output_length(total input). Then the resampler must be reset() to reuse.
    void finish(std::vector<float>& output);

    void reset();

    int input_rate() const { return input_rate_; }
    int output_rate() const { return output_rate_; }

    // Output samples for n input samples: ceil(n * output_rate / input_rate), i.e. every
    // output instant k / output_rate that lies inside the input's span [0, n / input_rate).
    // This is round(n * out / in) or the next integer above it.
    std::int64_t output_length(std::int64_t input_samples) const;

    // Input samples each side of an output instant that the kernel reads.
    int half_taps() const { return half_taps_; }

private:
    void produce(std::int64_t input_end, std::int64_t output_end, std::vector<float>& output);
    void coefficients(std::int64_t phase, double* taps) const;
    void drop_consumed_history();

    int input_rate_;
    int output_rate_;
    // Output k sits at input time k * step_num_ / step_den_ (the reduced rate ratio).
    std::int64_t step_num_;
    std::int64_t step_den_;
    double low_ratio_;  // min(1, output/input): the kernel is stretched by its inverse
    int half_taps_;
    // One row of 2 * half_taps_ coefficients per phase, when the ratio has few phases.
    std::vector<double> bank_;
    std::vector<double> scratch_taps_;

    std::vector<float> history_;       // input from absolute index history_start_ on
    std::int64_t history_start_ = 0;
    std::int64_t samples_in_ = 0;      // input samples pushed so far
    std::int64_t next_output_ = 0;     // index of the next output sample
    bool finished_ = false;
};

// One-shot conversion: exactly what push() of all of `input` then finish() return.
// Equal rates return a copy. Throws like Resampler.
std::vector<float> resample(std::span<const float> input, int input_rate, int output_rate);

}  // namespace ser
