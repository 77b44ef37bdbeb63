#include "nn/thread_pool.h"

#include <exception>

namespace ser::nn {
namespace {
thread_local int thread_index = 0;
}

int ThreadPool::current_thread() { return thread_index; }

ThreadPool::ThreadPool(int threads) {
#ifdef SER_WASM
    (void)threads;  // built without pthreads: the caller does all the work
#else
    if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
    for (int i = 1; i < threads; ++i)
        workers_.emplace_back([this, i] {
            thread_index = i;
            worker_loop();
        });
#endif
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::work_on_current_job() {
    for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) {
        try {
            thunk_(fn_, i);
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
    }
}

void ThreadPool::run(int count, void* fn, Thunk thunk) {
    // The caller is thread 0 of this pool while it works, even if it is another pool's worker.
    const int saved = thread_index;
    thread_index = 0;
    struct Restore {
        int value;
        ~Restore() { thread_index = value; }
    } restore{saved};
    if (workers_.empty() || count == 1) {
        for (int i = 0; i < count; ++i) thunk(fn, i);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        fn_ = fn;
        thunk_ = thunk;
        count_ = count;
        next_.store(0);
        error_ = nullptr;
        active_ = static_cast<int>(workers_.size());
        ++generation_;
    }
    wake_.notify_all();
    work_on_current_job();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return active_ == 0; });
    if (error_) std::rethrow_exception(error_);
}

void ThreadPool::worker_loop() {
    std::uint64_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        work_on_current_job();
        {
            std::lock_guard lock(mutex_);
            --active_;
        }
        done_.notify_one();
    }
}

}  // namespace ser::nn
