#pragma once
// Where `ser predict` writes its records, one analysed file at a time, each handed to the
// kernel whole as soon as it is done: standard output (flushed per record) or --out FILE
// (an AtomicLineFile: FILE appears complete or not at all; FILE.partial holds the records
// of a run that stopped early, for --resume). The record shapes come from
// analysis/result_json.h.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "io/atomic_file.h"

namespace ser::cli {

enum class OutputFormat { text, json, jsonl, csv };
OutputFormat parse_output_format(const std::string& name);  // text, json, jsonl or csv

struct Outcome {
    std::string file;                 // as listed
    std::optional<ClipResult> result; // absent when it failed
    std::string error;
};

class RecordWriter {
public:
    // out: a file path, or empty for standard output. resume: continue the records of an
    // earlier run to `out` (JSON Lines only; the caller checks).
    RecordWriter(OutputFormat format, std::vector<std::string> labels, bool timeline, const std::string& out,
                 bool resume);
    ~RecordWriter();

    void write(const Outcome& outcome);
    // Closes the output; `complete` commits --out FILE (and closes a JSON array), otherwise
    // FILE.partial stays for a resume.
    void finish(bool complete);
    std::size_t written() const { return written_; }

private:
    std::string format(const Outcome& outcome) const;
    void emit(const std::string& text);

    OutputFormat format_;
    std::vector<std::string> labels_;
    bool timeline_;
    std::unique_ptr<AtomicLineFile> file_;
    std::size_t written_ = 0;
    bool finished_ = false;
};

}  // namespace ser::cli
