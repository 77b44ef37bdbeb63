#pragma once
// A fixed pool of worker threads for data-parallel loops. Every task writes its own,
// disjoint outputs, so results never depend on the thread count or on scheduling. In the
// WebAssembly build there are no workers and loops run on the calling thread.

#include <atomic>
#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace ser::nn {

class ThreadPool {
public:
    // threads: total threads including the caller; 0 means std::thread::hardware_concurrency().
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int threads() const { return static_cast<int>(workers_.size()) + 1; }
    // Which of the pool's threads runs the calling task: 0 for the caller, 1.. for workers.
    // Lets tasks use per-thread scratch buffers.
    static int current_thread();

    // Calls fn(i) for every i in [0, count), spread over the pool; returns when all are done.
    // Exceptions from tasks are rethrown here (the first one).
    template <class F>
    void parallel_for(int count, F&& fn) {
        if (count <= 0) return;
        using Fn = std::remove_reference_t<F>;
        run(count, const_cast<void*>(static_cast<const void*>(&fn)), [](void* f, int i) { (*static_cast<Fn*>(f))(i); });
    }

private:
    using Thunk = void (*)(void*, int);
    void run(int count, void* fn, Thunk thunk);
    void work_on_current_job();
    void worker_loop();

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
    void* fn_ = nullptr;
    Thunk thunk_ = nullptr;
    int count_ = 0;
    std::atomic<int> next_{0};
    int active_ = 0;
    std::exception_ptr error_;
};

inline int pool_threads(const ThreadPool* pool) { return pool ? pool->threads() : 1; }
// The index of the calling thread within `pool`'s parallel_for (0 without a pool).
inline int pool_thread(const ThreadPool* pool) { return pool ? ThreadPool::current_thread() : 0; }

// The pool, or none when `work` (elements touched) is too small to repay waking the workers.
inline ThreadPool* pool_if_worth(ThreadPool* pool, std::size_t work) { return work >= (std::size_t{1} << 16) ? pool : nullptr; }

// parallel_for on a pool that may be absent (inference runs without one).
template <class F>
void parallel_for(ThreadPool* pool, int count, F&& fn) {
    if (pool) {
        pool->parallel_for(count, fn);
    } else {  // pool_thread() is 0 here
        for (int i = 0; i < count; ++i) fn(i);
    }
}

}  // namespace ser::nn
