#pragma once
// The UI's TrueType font (DejaVu Sans, subset at build time), compiled into the module so the
// first frame is already sharp and needs no extra request.

#include <span>

namespace ser::app {

std::span<const unsigned char> ui_font();

}  // namespace ser::app
