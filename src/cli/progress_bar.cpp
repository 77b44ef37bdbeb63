#include "cli/progress_bar.h"

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace ser::cli {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long s = std::lround(seconds);
    char text[32];
    if (s < 60) std::snprintf(text, sizeof text, "%lds", s);
    else if (s < 3600) std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
    return text;
}

ProgressBar::ProgressBar(std::string title, std::FILE* out)
    : title_(std::move(title)), out_(out), terminal_(isatty(fileno(out)) != 0), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
    if (open_) std::fputc('\n', out_);
}

void ProgressBar::update(double done, double total, const std::string& status, double eta_s) {
    const auto now = std::chrono::steady_clock::now();
    const auto min_gap = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (drawn_ && now - last_draw_ < min_gap && done < total) return;
    drawn_ = true;
    last_draw_ = now;
    draw(done, total, status, eta_s, false);
}

void ProgressBar::finish(const std::string& status) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    draw(1.0, 1.0, status.empty() ? "done in " + format_duration(elapsed) : status, -1.0, true);
    std::fputc('\n', out_);
    std::fflush(out_);
    open_ = false;
}

void ProgressBar::clear() {
    if (open_ && terminal_) std::fputs("\r\033[K", out_);
    open_ = false;
    drawn_ = false;
}

void ProgressBar::draw(double done, double total, const std::string& status, double eta_s, bool final) {
    const double fraction = total > 0 ? std::clamp(done / total, 0.0, 1.0) : 0.0;
    constexpr int width = 28;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::string eta = eta_s >= 0 && !final ? "  ETA " + format_duration(eta_s) : "";
    if (terminal_) {
        std::fprintf(out_, "\r\033[K%s [%s] %3.0f%%  %s%s", title_.c_str(), bar.c_str(), fraction * 100.0, status.c_str(), eta.c_str());
    } else if (!final) {
        std::fprintf(out_, "%s %3.0f%%  %s%s\n", title_.c_str(), fraction * 100.0, status.c_str(), eta.c_str());
    } else {
        std::fprintf(out_, "%s 100%%  %s", title_.c_str(), status.c_str());
    }
    std::fflush(out_);
    open_ = terminal_ || final;
}

}  // namespace ser::cli
