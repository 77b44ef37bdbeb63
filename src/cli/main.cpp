// The native `ser` command: argument parsing and dispatch only; each subcommand lives in
// its own file.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "cli/features_command.h"
#include "ser/version.h"

int main(int argc, char** argv) {
    CLI::App app{"ser: speech emotion recognition. Train, evaluate and run 1D CNNs on emotional speech."};
    app.set_version_flag("--version", std::string("ser ") + ser::version + " (" + ser::source_revision + ")");
    app.require_subcommand(1);

    ser::cli::add_features_command(app);
    std::string command_line = "ser";
    for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
    ser::cli::add_train_command(app, command_line);
    ser::cli::add_eval_command(app);
    ser::cli::add_predict_command(app);
    ser::cli::add_adapt_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints the help, the version or what is wrong with the options
        // A command's own status (CLI::RuntimeError) stands; a usage error is a failed run,
        // 1, not CLI11's 100s, which a batch script would read as files failed (docs/BATCH.md).
        return code == 0 || dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr ? code : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ser: %s\n", e.what());
        return 1;
    }
    return 0;
}
