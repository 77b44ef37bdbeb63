// Native only: ser's resampler against libsamplerate's SRC_SINC_BEST_QUALITY.

#include <doctest/doctest.h>

#include <samplerate.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "audio/resampler.h"
#include "io/audio_file.h"
#include "resampler_support.h"
#include "support/test_support.h"

namespace {

std::vector<float> libsamplerate(const std::vector<float>& x, int in, int out) {
    std::vector<float> y(static_cast<std::size_t>(static_cast<double>(x.size()) * out / in) + 64);
    SRC_DATA data{};
    data.data_in = x.data();
    data.input_frames = static_cast<long>(x.size());
    data.data_out = y.data();
    data.output_frames = static_cast<long>(y.size());
    data.src_ratio = static_cast<double>(out) / in;
    const int error = src_simple(&data, SRC_SINC_BEST_QUALITY, 1);
    if (error) throw std::runtime_error(src_strerror(error));
    y.resize(static_cast<std::size_t>(data.output_frames_gen));
    return y;
}

// SNR of ours against libsamplerate's output, over the samples both produced, leaving out
// the edges (each converter starts and ends its kernel in its own way).
double agreement_db(const std::vector<float>& ours, const std::vector<float>& reference) {
    const std::size_t n = std::min(ours.size(), reference.size());
    REQUIRE(n > 400);
    double signal = 0.0, difference = 0.0;
    for (std::size_t i = 200; i < n - 200; ++i) {
        signal += static_cast<double>(reference[i]) * reference[i];
        const double d = static_cast<double>(ours[i]) - reference[i];
        difference += d * d;
    }
    return 10.0 * std::log10(signal / difference);
}

}  // namespace

TEST_SUITE("audio.resampler_reference") {

TEST_CASE("agrees with libsamplerate's best sinc converter to 60 dB within the passband") {
    const int rate_pairs[][2] = {{48000, 16000}, {24414, 16000}, {96000, 16000}, {44100, 16000},
                                 {16000, 48000}, {8000, 16000},  {192000, 8000}, {22050, 16000}};
    for (const auto& p : rate_pairs) {
        const int in = p[0], out = p[1];
        CAPTURE(in);
        CAPTURE(out);
        // Twenty tones spread up to 0.85 of the lower Nyquist, a second long.
        const double top = 0.85 * 0.5 * std::min(in, out);
        std::vector<float> x(static_cast<std::size_t>(in), 0.0f);
        for (int k = 1; k <= 20; ++k) {
            const auto t = ser::test::tone(top * k / 20.0, in, x.size(), 0.04, 0.7 * k);
            for (std::size_t i = 0; i < x.size(); ++i) x[i] += t[i];
        }
        CHECK(agreement_db(ser::resample(x, in, out), libsamplerate(x, in, out)) >= 60.0);
    }
}

TEST_CASE("agrees with libsamplerate on real speech kept inside the passband") {
    SER_REQUIRE_SHARED("data/originals");
    for (const char* name : {"03-01-02-01-01-02-01.wav", "03-01-08-02-02-02-24.wav", "OAF_food_fear.wav",
                             "YAF_back_happy.wav"}) {
        CAPTURE(name);
        const auto audio = ser::decode_audio_file(ser::test::shared_dir() / "data" / "originals" / name);
        const int in = audio.sample_rate;
        // The converters differ by design between 0.91 and 1.0 of the output Nyquist (ours
        // rolls off earlier): compare them on the speech below that band, band-limited by
        // libsamplerate itself (down to 0.9 x 16 kHz and back).
        const int narrow = 14400;
        const auto band_limited = libsamplerate(libsamplerate(audio.samples, in, narrow), narrow, in);
        CHECK(agreement_db(ser::resample(band_limited, in, 16000), libsamplerate(band_limited, in, 16000)) >= 60.0);
    }
}

}
