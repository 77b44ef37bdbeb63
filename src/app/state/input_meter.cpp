#include "app/state/input_meter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace ser::app {

namespace {

std::string hz(float rate) {
    char text[32];
    std::snprintf(text, sizeof text, "%g Hz", static_cast<double>(rate));
    return text;
}

}  // namespace

void check_sample_rate(float rate) {
    if (!(rate >= min_sample_rate && rate <= max_sample_rate)) {
        throw std::invalid_argument("sample rate " + hz(rate) + " is outside the supported range " +
                                    hz(min_sample_rate) + " to " + hz(max_sample_rate));
    }
}

InputMeter::InputMeter(float waveform_seconds) : waveform_seconds_(waveform_seconds) {
    if (!(waveform_seconds > 0.0f && std::isfinite(waveform_seconds))) {
        throw std::invalid_argument("InputMeter needs a positive, finite waveform length");
    }
}

void InputMeter::begin(float sample_rate) {
    check_sample_rate(sample_rate);
    if (!meter_ || sample_rate != sample_rate_) {
        meter_.emplace(sample_rate);
        ring_.emplace(static_cast<std::size_t>(std::ceil(waveform_seconds_ * sample_rate)));
    } else {
        meter_->reset();
        ring_->clear();
    }
    sample_rate_ = sample_rate;
    samples_received_ = 0;
}

void InputMeter::push(std::span<const float> samples, float sample_rate) {
    if (!meter_) throw std::invalid_argument("audio arrived for a stream that has not begun");
    if (sample_rate != sample_rate_) {
        throw std::invalid_argument("audio at " + hz(sample_rate) + " arrived for a stream that began at " +
                                    hz(sample_rate_));
    }
    const auto bad = std::find_if(samples.begin(), samples.end(), [](float s) { return !std::isfinite(s); });
    if (bad != samples.end()) {
        throw std::invalid_argument("audio block of " + std::to_string(samples.size()) +
                                    " samples holds a NaN or infinite value at index " +
                                    std::to_string(bad - samples.begin()) + "; the block was dropped");
    }
    meter_->push(samples);
    ring_->push(samples);
    samples_received_ += static_cast<std::int64_t>(samples.size());
}

std::size_t InputMeter::copy_recent(std::span<float> out) const {
    if (!ring_) return 0;
    const std::size_t n = std::min(out.size(), ring_->size());
    ring_->copy_recent(out.first(n));
    return n;
}

}  // namespace ser::app
