#pragma once
// A share of an upload split across the page's upload workers (web/clips.js): its windows
// as bytes, posted to the worker that merges the clip's shares (merge_shares), and back.
// Both ends run the same build, so every number travels as its own bits and the merge sees
// exactly what the share computed.

#include <cstdint>
#include <span>
#include <vector>

#include "analysis/analyzer.h"

namespace ser::app {

struct SharePart {
    double sample_rate = 0.0;  // the file's own rate, as decoded
    double analysis_ms = 0.0;  // the share's decoding and analysis, wall clock
    ClipWindows windows;
};

std::vector<std::uint8_t> share_bytes(const SharePart& part);
// Throws std::invalid_argument naming what is cut short or inconsistent.
SharePart share_from_bytes(std::span<const std::uint8_t> bytes);

}  // namespace ser::app
