#include "training/augment/telephone.h"

#include <opus.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>

#include "audio/resampler.h"

namespace ser {
namespace {

// One second-order section of a Butterworth high-pass (bilinear transform), direct form I.
void high_pass(std::vector<float>& x, int sample_rate, double cutoff_hz, double q) {
    const double w = 2.0 * std::numbers::pi * cutoff_hz / sample_rate;
    const double alpha = std::sin(w) / (2.0 * q), cw = std::cos(w), a0 = 1.0 + alpha;
    const double b0 = (1.0 + cw) / 2.0 / a0, b1 = -(1.0 + cw) / a0, b2 = b0;
    const double a1 = -2.0 * cw / a0, a2 = (1.0 - alpha) / a0;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (float& v : x) {
        const double y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1, x1 = v, y2 = y1, y1 = y;
        v = static_cast<float>(y);
    }
}

}  // namespace

std::vector<float> telephone_band(std::span<const float> pcm, int sample_rate, int line_rate) {
    std::vector<float> x(pcm.begin(), pcm.end());
    // The two Q values of a 4th-order Butterworth: 1 / (2 cos(pi/8)) and 1 / (2 cos(3 pi/8)).
    high_pass(x, sample_rate, 300.0, 0.5411961);
    high_pass(x, sample_rate, 300.0, 1.3065630);
    if (line_rate >= sample_rate) return x;
    std::vector<float> narrow = resample(x, sample_rate, line_rate);
    std::vector<float> back = resample(narrow, line_rate, sample_rate);
    back.resize(pcm.size(), 0.0f);
    return back;
}

std::vector<float> opus_round_trip(std::span<const float> pcm, int sample_rate, int kbps) {
    if (sample_rate != 8000 && sample_rate != 12000 && sample_rate != 16000 && sample_rate != 24000 && sample_rate != 48000)
        throw std::invalid_argument("opus: " + std::to_string(sample_rate) + " Hz is not an Opus rate (8, 12, 16, 24, 48 kHz)");
    if (kbps < 6 || kbps > 256) throw std::invalid_argument("opus: bitrate must be 6-256 kb/s, not " + std::to_string(kbps));
    int error = 0;
    const std::unique_ptr<OpusEncoder, void (*)(OpusEncoder*)> enc(
        opus_encoder_create(sample_rate, 1, OPUS_APPLICATION_VOIP, &error), opus_encoder_destroy);
    if (error != OPUS_OK) throw std::runtime_error(std::string("opus encoder: ") + opus_strerror(error));
    const std::unique_ptr<OpusDecoder, void (*)(OpusDecoder*)> dec(opus_decoder_create(sample_rate, 1, &error),
                                                                  opus_decoder_destroy);
    if (error != OPUS_OK) throw std::runtime_error(std::string("opus decoder: ") + opus_strerror(error));
    opus_encoder_ctl(enc.get(), OPUS_SET_BITRATE(kbps * 1000));
    opus_encoder_ctl(enc.get(), OPUS_SET_VBR(0));
    opus_int32 lookahead = 0;
    opus_encoder_ctl(enc.get(), OPUS_GET_LOOKAHEAD(&lookahead));

    const std::size_t frame = static_cast<std::size_t>(sample_rate / 50);
    const std::size_t total = pcm.size() + static_cast<std::size_t>(lookahead);  // flush the encoder's delay
    std::vector<float> in(frame), out;
    std::vector<unsigned char> packet(4000);
    std::vector<float> decoded(frame);
    for (std::size_t at = 0; at < total; at += frame) {
        std::fill(in.begin(), in.end(), 0.0f);
        for (std::size_t k = 0; k < frame && at + k < pcm.size(); ++k) in[k] = std::clamp(pcm[at + k], -1.0f, 1.0f);
        const int bytes = opus_encode_float(enc.get(), in.data(), static_cast<int>(frame), packet.data(),
                                            static_cast<opus_int32>(packet.size()));
        if (bytes < 0) throw std::runtime_error(std::string("opus encode: ") + opus_strerror(bytes));
        const int got = opus_decode_float(dec.get(), packet.data(), bytes, decoded.data(), static_cast<int>(frame), 0);
        if (got < 0) throw std::runtime_error(std::string("opus decode: ") + opus_strerror(got));
        out.insert(out.end(), decoded.begin(), decoded.begin() + got);
    }
    // Drop the codec's delay so that the result lines up with the input.
    std::vector<float> aligned(pcm.size(), 0.0f);
    for (std::size_t k = 0; k < pcm.size() && k + static_cast<std::size_t>(lookahead) < out.size(); ++k)
        aligned[k] = out[k + static_cast<std::size_t>(lookahead)];
    return aligned;
}

}  // namespace ser
