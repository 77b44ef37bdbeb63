#pragma once
// The subcommands of `ser`, one file each; main.cpp only registers them.

#include <string>

#include <CLI/CLI.hpp>

namespace ser::cli {

void add_train_command(CLI::App& app, const std::string& command_line);
void add_eval_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_adapt_command(CLI::App& app);

}  // namespace ser::cli
