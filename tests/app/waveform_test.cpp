#include <doctest/doctest.h>

#include <vector>

#include "app/state/waveform.h"

using ser::app::Envelope;
using ser::app::waveform_envelope;

TEST_CASE("each column holds the min and max of its slice") {
    const std::vector<float> samples = {0.1f, -0.5f, 0.3f, 0.9f, -0.2f, 0.0f, 0.4f, -0.8f};
    std::vector<Envelope> columns(4);
    waveform_envelope(samples, columns);
    CHECK(columns[0].low == -0.5f);
    CHECK(columns[0].high == 0.1f);
    CHECK(columns[1].low == 0.3f);
    CHECK(columns[1].high == 0.9f);
    CHECK(columns[3].low == -0.8f);
    CHECK(columns[3].high == 0.4f);
}

TEST_CASE("a short peak is never lost between columns") {
    std::vector<float> samples(10007, 0.0f);
    samples[5003] = 1.0f;
    std::vector<Envelope> columns(640);
    waveform_envelope(samples, columns);
    int columns_with_peak = 0;
    for (const Envelope& e : columns) columns_with_peak += e.high == 1.0f ? 1 : 0;
    CHECK(columns_with_peak == 1);
}

TEST_CASE("fewer samples than columns: each column shows the sample under it") {
    const std::vector<float> samples = {0.25f, -0.75f};
    std::vector<Envelope> columns(4);
    waveform_envelope(samples, columns);
    CHECK(columns[0].high == 0.25f);
    CHECK(columns[1].high == 0.25f);
    CHECK(columns[2].low == -0.75f);
    CHECK(columns[3].low == -0.75f);
}

TEST_CASE("no samples draw silence") {
    std::vector<Envelope> columns(3, Envelope{-1.0f, 1.0f});
    waveform_envelope({}, columns);
    for (const Envelope& e : columns) {
        CHECK(e.low == 0.0f);
        CHECK(e.high == 0.0f);
    }
}
