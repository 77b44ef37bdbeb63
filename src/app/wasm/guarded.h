#pragma once
// Calls from JavaScript must not let an exception cross into it: every exported function
// runs its work through guarded(), which hands the reason to the caller's error sink.

#include <exception>
#include <string>
#include <utility>

namespace ser::wasm {

// Runs `action`; an exception's message goes to `on_error` instead. True when it succeeded.
template <class Action, class OnError>
bool guarded(Action&& action, OnError&& on_error) {
    try {
        std::forward<Action>(action)();
        return true;
    } catch (const std::exception& e) {
        std::forward<OnError>(on_error)(e.what());
        return false;
    }
}

// The workers' convention (JavaScript reads the reason with ser_*_error()): 1 on success
// with `error` cleared, 0 on failure with the reason in `error`.
template <class Action>
int guarded_status(std::string& error, Action&& action) {
    if (!wasm::guarded(std::forward<Action>(action), [&](const char* reason) { error = reason; })) return 0;
    error.clear();
    return 1;
}

}  // namespace ser::wasm
