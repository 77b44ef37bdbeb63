// Counts every operator new of the test binary it is linked into, so tests can prove that
// a warmed-up inference path allocates nothing.
#include "allocation_counter.h"

#include <cstdlib>
#include <new>

#if defined(__GNUC__) && !defined(__clang__)
// GCC sees malloc behind our operator new and free behind our delete and calls them mismatched.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<long> allocations{0};
}

long ser::test::allocation_count() { return allocations.load(); }

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
