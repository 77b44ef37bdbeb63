#pragma once
// Hands `ser predict`'s inputs to the worker threads and their outcomes to the writer, either
// as each finishes or (ordered) in input order. Ordered output holds finished records until
// the ones before them are written; workers wait rather than run more than `window` records
// ahead of the writer, so memory stays bounded whatever the list's length.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "cli/predict_inputs.h"
#include "cli/predict_output.h"

namespace ser::cli {

class BatchQueue {
public:
    BatchQueue(PredictInputs& inputs, RecordWriter& writer, bool ordered, std::size_t window,
               const std::atomic<bool>& interrupted);

    // The next input and its place in the output; nullopt when the input is exhausted, the
    // run was interrupted or another worker failed. Thread-safe.
    std::optional<std::pair<std::size_t, PredictInput>> take();
    // Writes (or, ordered, queues) the outcome of take()'s input `place`. Thread-safe.
    void put(std::size_t place, Outcome outcome);
    // A worker failed outright (not a file: the output): every other worker stops taking.
    void abort();

    std::size_t taken() const { return next_place_; }
    std::size_t failed() const { return failed_; }

private:
    void write(const Outcome& outcome);

    PredictInputs& inputs_;
    RecordWriter& writer_;
    bool ordered_;
    std::size_t window_;
    const std::atomic<bool>& interrupted_;
    std::mutex mutex_;
    std::condition_variable room_;
    std::map<std::size_t, Outcome> waiting_;  // ordered: finished, not yet written
    std::size_t next_place_ = 0;
    std::size_t next_write_ = 0;
    std::size_t failed_ = 0;
    bool aborted_ = false;
    bool exhausted_ = false;
};

}  // namespace ser::cli
