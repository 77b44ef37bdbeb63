#pragma once
// A one-line progress bar on stderr for long work (feature extraction, epochs). On a
// terminal it redraws in place at most ~10 times a second; in a log file it writes a plain
// line at most every few seconds, so logs stay readable.

#include <chrono>
#include <cstdio>
#include <string>

namespace ser::cli {

class ProgressBar {
public:
    explicit ProgressBar(std::string title, std::FILE* out = stderr);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // done of total, with a free-form status after the bar ("loss 1.23 acc 0.45").
    void update(double done, double total, const std::string& status = "", double eta_s = -1.0);
    // Ends the bar's line so that what follows starts on a fresh one.
    void finish(const std::string& status = "");
    // Takes the bar off the screen so a line of text can be printed; the next update()
    // draws it again below that line.
    void clear();

private:
    void draw(double done, double total, const std::string& status, double eta_s, bool final);

    std::string title_;
    std::FILE* out_;
    bool terminal_;
    bool open_ = false;   // a terminal line is waiting for its newline
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_draw_{};
    std::chrono::steady_clock::time_point start_;
};

std::string format_duration(double seconds);  // "42s", "3m05s", "1h02m"

}  // namespace ser::cli
