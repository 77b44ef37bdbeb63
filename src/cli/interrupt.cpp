#include "cli/interrupt.h"

#include <csignal>
#include <unistd.h>

namespace ser::cli {

namespace {

std::atomic<bool> requested{false};

extern "C" void on_signal(int) {
    if (requested.exchange(true)) _exit(130);
    constexpr char message[] = "\nser: stopping at the next safe point (press Ctrl-C again to quit now)\n";
    const ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
}

}  // namespace

const std::atomic<bool>& interrupt_flag() {
    static const bool installed = [] {
        struct sigaction action {};
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        return true;
    }();
    (void)installed;
    return requested;
}

}  // namespace ser::cli
