#include "app/state/mic_recorder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace ser::app {

namespace {

// Little-endian fields written in place (the whole file is sized first).
class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out) : out_(out) {}
    void u16(std::uint32_t v) {
        out_[at_++] = static_cast<std::uint8_t>(v & 0xff);
        out_[at_++] = static_cast<std::uint8_t>((v >> 8) & 0xff);
    }
    void u32(std::uint32_t v) {
        u16(v & 0xffff);
        u16(v >> 16);
    }
    void tag(const char (&t)[5]) {
        for (int i = 0; i < 4; ++i) out_[at_++] = static_cast<std::uint8_t>(t[i]);
    }

private:
    std::vector<std::uint8_t>& out_;
    std::size_t at_ = 0;
};

}  // namespace

void MicRecorder::begin(float sample_rate) {
    if (!(sample_rate > 0.0f)) throw std::invalid_argument("the recorder needs a positive sample rate");
    sample_rate_ = sample_rate;
    limit_ = static_cast<std::size_t>(std::ceil(max_seconds_ * sample_rate));
    samples_.clear();
    dropped_ = 0;
}

void MicRecorder::push(std::span<const float> samples) {
    const std::size_t room = limit_ - std::min(limit_, samples_.size());
    const std::size_t kept = std::min(room, samples.size());
    samples_.insert(samples_.end(), samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(kept));
    dropped_ += static_cast<std::int64_t>(samples.size() - kept);
}

std::vector<std::uint8_t> MicRecorder::wav() const {
    return float_wav(samples_, static_cast<int>(std::lround(sample_rate_)));
}

std::vector<std::uint8_t> float_wav(std::span<const float> samples, int sample_rate) {
    const auto data_bytes = static_cast<std::uint32_t>(samples.size() * sizeof(float));
    std::vector<std::uint8_t> out(58 + static_cast<std::size_t>(data_bytes));
    Writer w(out);
    w.tag("RIFF");
    w.u32(50 + data_bytes);
    w.tag("WAVE");
    w.tag("fmt ");
    w.u32(18);
    w.u16(3);  // IEEE float
    w.u16(1);  // mono
    w.u32(static_cast<std::uint32_t>(sample_rate));
    w.u32(static_cast<std::uint32_t>(sample_rate) * 4);
    w.u16(4);   // block align
    w.u16(32);  // bits per sample
    w.u16(0);   // no extension
    w.tag("fact");
    w.u32(4);
    w.u32(static_cast<std::uint32_t>(samples.size()));
    w.tag("data");
    w.u32(data_bytes);
    // IEEE float32 little-endian, as in memory on every target ser builds for.
    static_assert(std::endian::native == std::endian::little);
    if (!samples.empty()) std::memcpy(out.data() + 58, samples.data(), data_bytes);
    return out;
}

}  // namespace ser::app
