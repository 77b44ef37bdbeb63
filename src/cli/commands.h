#pragma once
// The subcommands of `ser`, one file each; main.cpp only registers them. Also the option
// checks several of them share.

#include <string>

#include <CLI/CLI.hpp>

#include "io/atomic_file.h"

namespace ser::cli {

void add_train_command(CLI::App& app, const std::string& command_line);
void add_eval_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_adapt_command(CLI::App& app);

// --jobs and --threads: 0 for every core, else at most this many. Each worker holds its own
// analyser or training buffers, so a typo like 100000 would exhaust memory before any work.
inline constexpr int max_workers = 256;
inline CLI::Validator worker_count() {
    return CLI::Validator(
        [](const std::string& text) -> std::string {
            int n = -1;
            try {
                std::size_t used = 0;
                n = std::stoi(text, &used);
                if (used != text.size()) n = -1;
            } catch (const std::exception&) {
            }
            if (n >= 0 && n <= max_workers) return {};
            return "give a number of workers from 1 to " + std::to_string(max_workers) + ", or 0 for every core (not " +
                   text + ")";
        },
        "0 (every core) to " + std::to_string(max_workers));
}

// An output file (--out): refused at parsing, before any work, when it could not be written.
inline CLI::Validator writable_file() {
    return CLI::Validator([](const std::string& text) { return why_not_writable(text); }, "FILE");
}

}  // namespace ser::cli
