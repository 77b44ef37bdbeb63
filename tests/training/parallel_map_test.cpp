#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "training/parallel_map.h"

using namespace ser;

TEST_CASE("parallel map keeps results in item order and collects failures") {
    std::vector<int> items(200);
    for (int i = 0; i < 200; ++i) items[static_cast<std::size_t>(i)] = i;
    for (int threads : {1, 2, 4}) {
        std::vector<ProgressCounts> progress;
        ParallelOptions options;
        options.threads = threads;
        options.on_progress = [&](const ProgressCounts& counts) { progress.push_back(counts); };
        const auto out = parallel_map<int>(std::span<const int>(items), [](int x) {
            if (x % 37 == 5) throw std::runtime_error("unreadable file " + std::to_string(x));
            return x * x;
        }, options);
        INFO("threads ", threads);
        REQUIRE(out.results.size() == 200);
        for (int i = 0; i < 200; ++i) {
            if (i % 37 == 5) CHECK_FALSE(out.results[static_cast<std::size_t>(i)].has_value());
            else CHECK(out.results[static_cast<std::size_t>(i)] == i * i);
        }
        REQUIRE(out.errors.size() == 6);
        CHECK(out.errors[0].index == 5);
        CHECK(out.errors[0].message == "unreadable file 5");
        CHECK(out.errors[5].index == 190);
        REQUIRE_FALSE(progress.empty());
        CHECK(progress.back().done == 200);
        CHECK(progress.back().failed == 6);
        CHECK(progress.back().total == 200);
        for (std::size_t i = 1; i < progress.size(); ++i) CHECK(progress[i].done >= progress[i - 1].done);
    }
}

TEST_CASE("parallel map really runs on several threads") {
    std::atomic<int> running{0}, most{0};
    std::vector<int> items(16, 0);
    ParallelOptions options;
    options.threads = 4;
    parallel_map<int>(std::span<const int>(items), [&](int) {
        const int now = ++running;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        --running;
        return 0;
    }, options);
    CHECK(most >= 2);
}

TEST_CASE("parallel map: empty input, thread counts, a failing progress callback") {
    int calls = 0;
    ParallelOptions options;
    options.on_progress = [&](const ProgressCounts& counts) {
        ++calls;
        CHECK(counts.total == 0);
    };
    CHECK(parallel_for_each_index(0, [](std::size_t) {}, options).empty());
    CHECK(calls == 1);
    CHECK(resolve_thread_count(0) >= 1);
    CHECK(resolve_thread_count(3) == 3);
    CHECK_THROWS_AS(resolve_thread_count(-1), std::invalid_argument);

    ParallelOptions stopping;
    stopping.threads = 2;
    stopping.on_progress = [](const ProgressCounts& counts) {
        if (counts.done >= 3) throw std::runtime_error("interrupted");
    };
    std::atomic<int> ran{0};
    CHECK_THROWS_WITH(parallel_for_each_index(1000, [&](std::size_t) {
        ++ran;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }, stopping), "interrupted");
    CHECK(ran < 1000);
}
