#pragma once
// Exponential smoothing of class probabilities across consecutive windows, so the live
// display follows the speaker's state rather than every window's noise. Non-speech windows
// do not feed it; a long enough silence starts it afresh.

#include <span>
#include <vector>

namespace ser {

class ProbabilitySmoother {
public:
    // time_constant_s 0 disables smoothing. Resets after `forget_after_s` without speech.
    ProbabilitySmoother(int classes, double hop_s, double time_constant_s, double forget_after_s = 2.0);

    // Feeds one window's probabilities; returns the smoothed ones (valid until the next call).
    std::span<const float> push(std::span<const float> probabilities);
    // Feeds a window without speech: nothing is learned from it.
    void skip();
    void reset();

    void set_time_constant(double time_constant_s);
    std::span<const float> current() const { return smoothed_; }
    bool has_value() const { return has_value_; }

private:
    double hop_s_;
    double alpha_ = 0.0;
    double forget_after_s_;
    double silent_s_ = 0.0;
    bool has_value_ = false;
    std::vector<float> smoothed_;
};

}  // namespace ser
