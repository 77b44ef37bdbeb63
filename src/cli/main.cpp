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
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ser: %s\n", e.what());
        return 1;
    }
    return 0;
}
