#pragma once
// A batch's manifest, read one entry at a time (memory does not grow with its length): either
// one path per line (blank lines and lines starting with '#' skipped), or CSV (RFC 4180,
// parsed by libcsv) whose header has a `path` column; the other columns are ignored. Which
// one is told by the first line: CSV when one of its fields is `path`. Paths come back as
// listed; resolving relative ones is the caller's business. A UTF-8 byte-order mark (what
// spreadsheets write at the start of a "CSV UTF-8" file) is dropped.

#include <deque>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/listed_path.h"

namespace ser {

class ManifestReader {
public:
    // name: how messages call the manifest (its path, or "standard input"). columns: other
    // CSV columns whose values each entry carries (values()).
    ManifestReader(std::istream& in, std::string name, std::vector<std::string> columns = {});
    ~ManifestReader();
    ManifestReader(const ManifestReader&) = delete;
    ManifestReader& operator=(const ManifestReader&) = delete;

    // The next entry; an entry with an error for a CSV row without a path. nullopt at the
    // end. Throws std::runtime_error naming the manifest when it cannot be read or parsed.
    std::optional<ListedPath> next();
    bool is_csv() const { return path_column_ >= 0; }
    // Whether the header has columns[i]; known once next() has been called.
    bool has_column(std::size_t i) const { return i < column_index_.size() && column_index_[i] >= 0; }
    // The entry next() returned last: its values of `columns` ("" where its row has none),
    // and the line its record ended on.
    const std::vector<std::string>& values() const { return current_.values; }
    std::size_t line() const { return current_.line; }

private:
    struct Csv;
    struct Entry {
        ListedPath listed;
        std::vector<std::string> values;
        std::size_t line = 0;
    };
    bool read_line(std::string& line);
    void start();
    void feed(const std::string& text, bool at_end);
    void end_record();

    std::istream& in_;
    std::string name_;
    std::unique_ptr<Csv> csv_;
    std::vector<std::string> fields_;  // of the CSV record being read
    std::vector<std::string> columns_;
    std::vector<int> column_index_;  // per columns_: its field in a record, -1 when absent
    std::deque<Entry> ready_;
    Entry current_;
    std::optional<std::string> first_plain_;  // a plain manifest's first line, read to tell the kind
    int path_column_ = -1;
    bool header_done_ = false;
    bool started_ = false;
    bool finished_ = false;
    std::size_t line_ = 0;
};

}  // namespace ser
