#pragma once
// The module's state as JSON, read by the page's diagnostics object (window.serDiagnostics)
// and through it by the e2e tests: what the UI shows, in numbers, and where its controls are.

#include <string>

#include "app/state/session.h"

namespace ser::app {

std::string diagnostics_json(const Session& s);

// Every hop the live analysis kept (up to a minute): stream time, speech, loudness, the
// window's probabilities and the smoothed ones, with the labels. For tests comparing the live
// path with `ser predict --timeline`, and for people debugging it.
std::string live_timeline_json(const Session& s);

}  // namespace ser::app
