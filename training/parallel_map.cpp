#include "training/parallel_map.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "nn/thread_pool.h"

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
        // The pool's caller (thread 0) reports progress while the workers take the items.
        nn::ThreadPool pool(static_cast<int>(std::min(workers, count)) + 1);
        std::exception_ptr callback_error;
        std::atomic<bool> reporting{false};
        const auto work = [&] {
            for (std::size_t i = next++; i < count && !stop; i = next++) {
                run_one(i);
                changed.notify_one();
            }
        };
        const auto report_until_done = [&] {
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
        };
        pool.parallel_for(pool.threads(), [&](int) {
            if (nn::ThreadPool::current_thread() == 0 && !reporting.exchange(true)) report_until_done();
            else work();
        });
        // The workers may have claimed every item before the caller took a task: then the
        // caller reports once, at the end.
        if (!reporting) report(counts);
        if (callback_error) std::rethrow_exception(callback_error);
    }
    std::sort(errors.begin(), errors.end(), [](const ItemError& a, const ItemError& b) { return a.index < b.index; });
    return errors;
}

}  // namespace ser
