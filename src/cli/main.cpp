// The native `ser` command: argument parsing and dispatch only; each subcommand lives in
// its own file.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "cli/features_command.h"
#include "ser/version.h"

namespace {

void add_pending_command(CLI::App& app, const std::string& name, const std::string& what, int issue) {
    auto* cmd = app.add_subcommand(name, what);
    cmd->allow_extras();
    cmd->callback([name, issue] {
        std::fprintf(stderr, "ser %s: not implemented yet (tracked in issue %d)\n", name.c_str(), issue);
        throw CLI::RuntimeError(2);
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ser: speech emotion recognition. Train, evaluate and run 1D CNNs on emotional speech."};
    app.set_version_flag("--version", std::string("ser ") + ser::version + " (" + ser::source_revision + ")");
    app.require_subcommand(1);

    ser::cli::add_features_command(app);
    add_pending_command(app, "train", "Train a model on emotional-speech corpora", 6);
    add_pending_command(app, "eval", "Evaluate a model or a training config, speaker-independent", 6);
    add_pending_command(app, "predict", "Classify audio files with a trained model", 6);

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
