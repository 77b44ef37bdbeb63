#include "cli/predict_batch.h"

#include <cstdio>

namespace ser::cli {

BatchQueue::BatchQueue(PredictInputs& inputs, RecordWriter& writer, bool ordered, std::size_t window,
                       const std::atomic<bool>& interrupted)
    : inputs_(inputs), writer_(writer), ordered_(ordered), window_(window), interrupted_(interrupted) {}

std::optional<std::pair<std::size_t, PredictInput>> BatchQueue::take() {
    std::unique_lock lock(mutex_);
    // Only ordered output can fall behind: the oldest record's worker is never waiting here,
    // so the writer always catches up.
    room_.wait(lock, [&] { return aborted_ || !ordered_ || next_place_ - next_write_ < window_; });
    if (aborted_ || exhausted_ || interrupted_.load()) return std::nullopt;
    auto input = inputs_.next();
    if (!input) {
        exhausted_ = true;
        return std::nullopt;
    }
    return std::pair{next_place_++, std::move(*input)};
}

void BatchQueue::write(const Outcome& outcome) {
    if (!outcome.result) {
        ++failed_;
        const bool named = outcome.error.find(outcome.file) != std::string::npos;
        std::fprintf(stderr, "ser predict: %s%s%s\n", named ? "" : outcome.file.c_str(), named ? "" : ": ",
                     outcome.error.c_str());
    }
    writer_.write(outcome);
}

void BatchQueue::put(std::size_t place, Outcome outcome) {
    std::lock_guard lock(mutex_);
    if (aborted_) return;
    if (!ordered_) {
        write(outcome);
        ++next_write_;
        return;
    }
    waiting_.emplace(place, std::move(outcome));
    for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_write_; it = waiting_.erase(it)) {
        write(it->second);
        ++next_write_;
    }
    room_.notify_all();
}

void BatchQueue::abort() {
    {
        std::lock_guard lock(mutex_);
        aborted_ = true;
    }
    room_.notify_all();
}

}  // namespace ser::cli
