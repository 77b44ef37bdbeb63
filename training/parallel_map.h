#pragma once
// Work over many files on all cores, on the one thread pool (nn::ThreadPool): each item is
// processed by whichever worker is free, results land at the item's index (so the output
// order never depends on timing), a failing item is recorded and skipped, and progress
// counts reach the caller's thread.

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ser {

struct ProgressCounts {
    std::size_t done = 0;    // finished, successfully or not
    std::size_t failed = 0;
    std::size_t total = 0;
};

struct ParallelOptions {
    int threads = 0;  // 0: every core (std::thread::hardware_concurrency)
    // Called on the calling thread after items finish (not necessarily after every one),
    // and once at the end with done == total. The CLI draws its progress bar from it.
    std::function<void(const ProgressCounts&)> on_progress;
};

struct ItemError {
    std::size_t index = 0;
    std::string message;
};

// The thread count `threads` resolves to (0 becomes the core count, at least 1).
int resolve_thread_count(int threads);

// Calls job(i) for every i in [0, count). An exception thrown by job(i) is recorded for
// item i and the others carry on. Returns the errors sorted by index. Throws
// std::invalid_argument for a negative thread count; an exception from on_progress stops
// the run (after the workers finish their current items) and is rethrown.
std::vector<ItemError> parallel_for_each_index(std::size_t count, const std::function<void(std::size_t)>& job,
                                               const ParallelOptions& options = {});

template <class Result>
struct ParallelResults {
    std::vector<std::optional<Result>> results;  // empty where the item failed
    std::vector<ItemError> errors;
};

// fn(items[i]) for every item, in parallel.
template <class Result, class Item, class Fn>
ParallelResults<Result> parallel_map(std::span<const Item> items, Fn&& fn, const ParallelOptions& options = {}) {
    ParallelResults<Result> out;
    out.results.resize(items.size());
    out.errors = parallel_for_each_index(
        items.size(), [&](std::size_t i) { out.results[i] = fn(items[i]); }, options);
    return out;
}

}  // namespace ser
