#pragma once
// Linking allocation_counter.cpp into a test binary replaces its global operator new.

#include <atomic>

namespace ser::test {
long allocation_count();  // operator new calls so far
}
