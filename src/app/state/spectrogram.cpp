#include "app/state/spectrogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ser::app {

FeatureConfig spectrogram_config(int sample_rate) {
    FeatureConfig c;
    c.sample_rate = sample_rate;
    const int window = 2 * static_cast<int>(std::lround(0.0125 * sample_rate));  // 25 ms, even
    c.stft = {.n_fft = window, .win_length = window, .hop_length = std::max(1, static_cast<int>(std::lround(0.01 * sample_rate))),
              .window = WindowKind::hann, .center = false, .pad_mode = PadMode::constant};
    c.mel = {.n_mels = 64, .fmin = 50.0, .fmax = std::min(8000.0, sample_rate / 2.0), .scale = MelScale::slaney,
             .norm = MelNorm::slaney, .power = 2.0};
    c.db = {.ref = 1.0, .amin = 1e-10, .top_db = 80.0, .span = DbSpan::frame};
    c.chroma.tuning = 0.0;
    c.zcr = {.frame_length = window, .center = false, .pad_mode = PadMode::edge, .threshold = 1e-10};
    c.rms = {.frame_length = window, .center = false, .pad_mode = PadMode::constant};
    c.input = {.features = {"mel_db"}, .pooling = Pooling::none};
    return c;
}

Spectrogram::Spectrogram(int sample_rate, double seconds)
    : sample_rate_(sample_rate), stream_(spectrogram_config(sample_rate)), bands_(stream_.channels()) {
    if (!(seconds > 0.0)) throw std::invalid_argument("the spectrogram needs a positive length in seconds");
    const int hop = stream_.config().stft.hop_length;
    capacity_ = static_cast<std::size_t>(std::ceil(seconds * sample_rate / hop));
    columns_.assign(capacity_ * static_cast<std::size_t>(bands_), 0.0f);
    column_peak_.assign(capacity_, -100.0f);
    // A block of up to half a second goes through without growing the scratch.
    frames_.reserve(static_cast<std::size_t>(sample_rate / hop / 2 + 2) * static_cast<std::size_t>(bands_));
}

void Spectrogram::push(std::span<const float> samples) {
    frames_.clear();
    const int added = stream_.push(samples, frames_);
    const auto bands = static_cast<std::size_t>(bands_);
    for (int f = 0; f < added; ++f) {
        const float* in = frames_.data() + static_cast<std::size_t>(f) * bands;
        std::copy(in, in + bands, columns_.begin() + static_cast<std::ptrdiff_t>(next_ * bands));
        column_peak_[next_] = *std::max_element(in, in + bands);
        next_ = (next_ + 1) % capacity_;
        count_ = std::min(count_ + 1, capacity_);
    }
    if (added > 0) ++version_;
}

void Spectrogram::clear() {
    stream_.reset();
    next_ = 0;
    count_ = 0;
    ++version_;
}

std::span<const float> Spectrogram::column(std::size_t i) const {
    const std::size_t at = (next_ + capacity_ - count_ + i) % capacity_;
    return {columns_.data() + at * static_cast<std::size_t>(bands_), static_cast<std::size_t>(bands_)};
}

float Spectrogram::peak_db() const {
    float peak = -100.0f;
    for (std::size_t i = 0; i < count_; ++i) peak = std::max(peak, column_peak_[(next_ + capacity_ - count_ + i) % capacity_]);
    return peak;
}

Rgba heat_colour(float t) {
    // Samples of magma at 0, 1/8, ..., 1, interpolated linearly.
    static constexpr std::array<std::array<float, 3>, 9> stops = {{{0, 0, 4},
                                                                   {28, 16, 68},
                                                                   {79, 18, 123},
                                                                   {129, 37, 129},
                                                                   {181, 54, 122},
                                                                   {229, 80, 100},
                                                                   {251, 135, 97},
                                                                   {254, 194, 135},
                                                                   {252, 253, 191}}};
    const float x = std::clamp(std::isfinite(t) ? t : 0.0f, 0.0f, 1.0f) * 8.0f;
    const auto i = std::min<std::size_t>(7, static_cast<std::size_t>(x));
    const float f = x - static_cast<float>(i);
    auto mix = [&](int c) {
        return static_cast<std::uint8_t>(std::lround(stops[i][static_cast<std::size_t>(c)] * (1.0f - f) +
                                                     stops[i + 1][static_cast<std::size_t>(c)] * f));
    };
    return {mix(0), mix(1), mix(2), 255};
}

}  // namespace ser::app
