#include "audio/resampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"

namespace ser {
namespace {

// Kernel design, in units of the lower of the two rates (its Nyquist is 0.5): a sinc cut off
// halfway between the passband edge (0.91 of Nyquist) and Nyquist itself, under a Kaiser
// window whose beta and length give about 100 dB of rejection over that transition band
// (Kaiser's formulas: beta = 0.1102 (A - 8.7), length = (A - 7.95) / (2.285 * 2 pi * 0.045)).
constexpr double passband_edge = 0.91;
constexpr double cutoff = (passband_edge + 1.0) / 2.0;
constexpr int kernel_half_width = 72;
constexpr double kaiser_beta = 10.06;
// The kernel is tabulated at this many points per unit and interpolated linearly between
// them; the interpolation error stays near -120 dB of the signal.
constexpr int table_steps = 1024;
// A ratio with few distinct phases gets all its coefficient rows precomputed (at most this
// many doubles, 2 MB); others compute each row from the table as they need it.
constexpr std::int64_t bank_limit = std::int64_t{1} << 18;

double bessel_i0(double x) {
    double sum = 1.0;
    double term = 1.0;
    const double quarter_x2 = x * x / 4.0;
    for (int k = 1; k < 200 && term > sum * 1e-18; ++k) {
        term *= quarter_x2 / (static_cast<double>(k) * k);
        sum += term;
    }
    return sum;
}

const std::vector<double>& kernel_table() {
    static const std::vector<double> table = [] {
        const int last = kernel_half_width * table_steps;
        std::vector<double> t(static_cast<std::size_t>(last) + 2, 0.0);  // zeros past the end
        const double window_norm = bessel_i0(kaiser_beta);
        for (int i = 0; i <= last; ++i) {
            const double u = static_cast<double>(i) / table_steps;
            const double x = std::numbers::pi * cutoff * u;
            const double sinc = i == 0 ? 1.0 : std::sin(x) / x;
            const double r = u / kernel_half_width;
            const double window = bessel_i0(kaiser_beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / window_norm;
            t[static_cast<std::size_t>(i)] = cutoff * sinc * window;
        }
        return t;
    }();
    return table;
}

// Four partial sums: a fixed order (so every platform and every split of a stream adds the
// same way) that still lets the compiler use vector registers.
double dot(const float* x, const double* c, int n) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += static_cast<double>(x[i]) * c[i];
        s1 += static_cast<double>(x[i + 1]) * c[i + 1];
        s2 += static_cast<double>(x[i + 2]) * c[i + 2];
        s3 += static_cast<double>(x[i + 3]) * c[i + 3];
    }
    for (; i < n; ++i) s0 += static_cast<double>(x[i]) * c[i];
    return (s0 + s1) + (s2 + s3);
}

void check_rate(int rate, const char* which) {
    if (rate < Resampler::min_rate || rate > Resampler::max_rate) {
        throw std::invalid_argument(std::string("Resampler: ") + which + " rate " + std::to_string(rate) +
                                    " Hz is outside the supported " + std::to_string(Resampler::min_rate) +
                                    ".." + std::to_string(Resampler::max_rate) +
                                    " Hz; convert the audio to a rate in that range first (16000 Hz is what the models use)");
    }
}

}  // namespace

Resampler::Resampler(int input_rate, int output_rate) : input_rate_(input_rate), output_rate_(output_rate) {
    check_rate(input_rate, "input");
    check_rate(output_rate, "output");
    const int g = std::gcd(input_rate, output_rate);
    step_num_ = input_rate / g;
    step_den_ = output_rate / g;
    low_ratio_ = std::min(1.0, static_cast<double>(output_rate) / input_rate);
    half_taps_ = input_rate == output_rate ? 0 : static_cast<int>(std::ceil(kernel_half_width / low_ratio_));
    const std::int64_t taps = 2 * static_cast<std::int64_t>(half_taps_);
    if (half_taps_ > 0 && step_den_ * taps <= bank_limit) {
        bank_.resize(static_cast<std::size_t>(step_den_ * taps));
        for (std::int64_t phase = 0; phase < step_den_; ++phase) coefficients(phase, &bank_[static_cast<std::size_t>(phase * taps)]);
    } else {
        scratch_taps_.resize(static_cast<std::size_t>(taps));
    }
    reset();
}

void Resampler::reset() {
    // Zeros stand for the signal before its first sample, so output 0 needs no special case.
    history_.assign(static_cast<std::size_t>(half_taps_), 0.0f);
    history_start_ = -half_taps_;
    samples_in_ = 0;
    next_output_ = 0;
    finished_ = false;
}

std::int64_t Resampler::output_length(std::int64_t input_samples) const {
    return (input_samples * step_den_ + step_num_ - 1) / step_num_;
}

// Row of taps for output instants at fractional input position phase / step_den_: tap j
// weighs input sample (q - half_taps_ + 1 + j) for an instant q + phase / step_den_.
void Resampler::coefficients(std::int64_t phase, double* taps) const {
    const std::vector<double>& table = kernel_table();
    const double frac = static_cast<double>(phase) / static_cast<double>(step_den_);
    const double scale = low_ratio_ * table_steps;
    const double table_end = static_cast<double>(kernel_half_width) * table_steps;
    for (int j = 0; j < 2 * half_taps_; ++j) {
        const double position = std::fabs(static_cast<double>(half_taps_ - 1 - j) + frac) * scale;
        if (position >= table_end) {
            taps[j] = 0.0;
            continue;
        }
        const auto i = static_cast<std::size_t>(position);
        const double a = position - static_cast<double>(i);
        taps[j] = low_ratio_ * (table[i] + a * (table[i + 1] - table[i]));
    }
}

void Resampler::produce(std::int64_t input_end, std::int64_t output_end, std::vector<float>& output) {
    const int taps = 2 * half_taps_;
    for (; next_output_ < output_end;) {
        const std::int64_t position = next_output_ * step_num_;
        const std::int64_t q = position / step_den_;
        if (q + half_taps_ > input_end - 1) break;
        const std::int64_t phase = position % step_den_;
        const double* row = nullptr;
        if (bank_.empty()) {
            coefficients(phase, scratch_taps_.data());
            row = scratch_taps_.data();
        } else {
            row = &bank_[static_cast<std::size_t>(phase * taps)];
        }
        const auto offset = static_cast<std::size_t>(q - half_taps_ + 1 - history_start_);
        output.push_back(static_cast<float>(dot(&history_[offset], row, taps)));
        ++next_output_;
    }
    drop_consumed_history();
}

void Resampler::drop_consumed_history() {
    const std::int64_t needed_from = next_output_ * step_num_ / step_den_ - half_taps_ + 1;
    const std::int64_t unused = needed_from - history_start_;
    // Erasing costs the kept tail, so erase only once the dead prefix outweighs it.
    if (unused > 0 && unused >= static_cast<std::int64_t>(history_.size()) / 2) {
        history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(unused));
        history_start_ += unused;
    }
}

void Resampler::push(std::span<const float> input, std::vector<float>& output) {
    if (finished_) throw std::logic_error("Resampler::push after finish(): call reset() before reusing it");
    require_usable_pcm(input, "resampler input");
    samples_in_ += static_cast<std::int64_t>(input.size());
    if (input_rate_ == output_rate_) {
        output.insert(output.end(), input.begin(), input.end());
        return;
    }
    history_.insert(history_.end(), input.begin(), input.end());
    produce(samples_in_, std::numeric_limits<std::int64_t>::max(), output);
}

void Resampler::finish(std::vector<float>& output) {
    if (finished_) throw std::logic_error("Resampler::finish called twice: call reset() before reusing it");
    finished_ = true;
    if (input_rate_ == output_rate_) return;
    const std::int64_t total = output_length(samples_in_);
    if (next_output_ >= total) return;
    // Zeros after the end let the last instants see a full kernel.
    const std::int64_t last_q = (total - 1) * step_num_ / step_den_;
    const std::int64_t needed_end = last_q + half_taps_ + 1;
    const std::int64_t have_end = history_start_ + static_cast<std::int64_t>(history_.size());
    if (needed_end > have_end) history_.resize(history_.size() + static_cast<std::size_t>(needed_end - have_end), 0.0f);
    produce(needed_end, total, output);
}

std::vector<float> resample(std::span<const float> input, int input_rate, int output_rate) {
    Resampler resampler(input_rate, output_rate);
    std::vector<float> output;
    output.reserve(static_cast<std::size_t>(resampler.output_length(static_cast<std::int64_t>(input.size()))) + 1);
    resampler.push(input, output);
    resampler.finish(output);
    return output;
}

}  // namespace ser
