#include "training/parallel_map.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace ser {

int resolve_thread_count(int threads) {
    if (threads < 0) throw std::invalid_argument("the thread count must be 0 (all cores) or more, not " + std::to_string(threads));
    if (threads > 0) return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::vector<ItemError> parallel_for_each_index(std::size_t count, const std::function<void(std::size_t)>& job,
                                               const ParallelOptions& options) {
    const auto workers = static_cast<std::size_t>(resolve_thread_count(options.threads));
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<ItemError> errors;
    ProgressCounts counts{0, 0, count};
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};

    const auto run_one = [&](std::size_t i) {
        std::string failure;
        bool failed = false;
        try {
            job(i);
        } catch (const std::exception& e) {
            failed = true;
            failure = e.what();
        } catch (...) {
            failed = true;
            failure = "unknown error";
        }
        std::lock_guard lock(mutex);
        if (failed) {
            errors.push_back({i, std::move(failure)});
            ++counts.failed;
        }
        ++counts.done;
    };
    const auto report = [&](const ProgressCounts& snapshot) {
        if (options.on_progress) options.on_progress(snapshot);
    };

    if (workers == 1 || count <= 1) {
        for (std::size_t i = 0; i < count; ++i) {
            run_one(i);
            report(counts);
        }
        if (count == 0) report(counts);
    } else {
        std::vector<std::thread> threads;
        const auto worker = [&] {
            for (std::size_t i = next++; i < count && !stop; i = next++) {
                run_one(i);
                changed.notify_one();
            }
        };
        for (std::size_t t = 0; t < std::min(workers, count); ++t) threads.emplace_back(worker);
        std::exception_ptr callback_error;
        std::size_t reported = SIZE_MAX;
        std::unique_lock lock(mutex);
        while (true) {
            changed.wait(lock, [&] { return counts.done != reported || counts.done == count; });
            const ProgressCounts snapshot = counts;
            reported = snapshot.done;
            lock.unlock();
            try {
                report(snapshot);
            } catch (...) {
                callback_error = std::current_exception();
                stop = true;
            }
            lock.lock();
            if (callback_error || snapshot.done == count) break;
        }
        lock.unlock();
        for (auto& thread : threads) thread.join();
        if (callback_error) std::rethrow_exception(callback_error);
    }
    std::sort(errors.begin(), errors.end(), [](const ItemError& a, const ItemError& b) { return a.index < b.index; });
    return errors;
}

}  // namespace ser
