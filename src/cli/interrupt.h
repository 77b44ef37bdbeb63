#pragma once
// Ctrl-C during long work: the first press asks the work to stop at a safe point (training
// writes its checkpoint); a second press ends the process at once.

#include <atomic>

namespace ser::cli {

// Installs the SIGINT/SIGTERM handler once and returns the flag the work polls.
const std::atomic<bool>& interrupt_flag();

}  // namespace ser::cli
