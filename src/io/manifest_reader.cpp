#include "io/manifest_reader.h"

#include <csv.h>

#include <algorithm>
#include <stdexcept>

namespace ser {

struct ManifestReader::Csv {
    csv_parser parser{};
    Csv() {
        if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) throw std::runtime_error("cannot start the CSV parser");
    }
    ~Csv() { csv_free(&parser); }
};

ManifestReader::ManifestReader(std::istream& in, std::string name, std::vector<std::string> columns)
    : in_(in), name_(std::move(name)), columns_(std::move(columns)) {}
ManifestReader::~ManifestReader() = default;

bool ManifestReader::read_line(std::string& line) {
    if (!std::getline(in_, line)) {
        if (in_.bad()) throw std::runtime_error("cannot read the manifest " + name_);
        return false;
    }
    ++line_;
    if (line_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

// Tells the kind from the first line that is not blank: CSV when a field of it is `path`.
void ManifestReader::start() {
    started_ = true;
    std::string line;
    while (read_line(line))
        if (!line.empty() && line[0] != '#') break;
    if (line.empty() || line[0] == '#') {
        finished_ = true;
        return;
    }
    csv_ = std::make_unique<Csv>();
    try {
        feed(line + "\n", false);
    } catch (const std::runtime_error&) {  // not CSV (a stray quote): a plain list
        fields_.clear();
    }
    header_done_ = true;
    const auto it = std::find(fields_.begin(), fields_.end(), "path");
    if (it == fields_.end()) {  // a plain list: that line was its first entry
        csv_.reset();
        first_plain_ = line;
    } else {
        path_column_ = static_cast<int>(it - fields_.begin());
        for (const std::string& column : columns_) {
            const auto at = std::find(fields_.begin(), fields_.end(), column);
            column_index_.push_back(at == fields_.end() ? -1 : static_cast<int>(at - fields_.begin()));
        }
    }
    fields_.clear();
}

// Parses text; libcsv calls back for each field and at each record's end (a line break
// outside quotes), which turns the record into an entry.
void ManifestReader::feed(const std::string& text, bool at_end) {
    auto field_cb = [](void* s, std::size_t n, void* data) {
        static_cast<ManifestReader*>(data)->fields_.emplace_back(static_cast<const char*>(s), n);
    };
    auto record_cb = [](int, void* data) { static_cast<ManifestReader*>(data)->end_record(); };
    const std::size_t used = csv_parse(&csv_->parser, text.data(), text.size(), field_cb, record_cb, this);
    if (used != text.size() || (at_end && csv_fini(&csv_->parser, field_cb, record_cb, this) != 0))
        throw std::runtime_error("cannot parse the manifest " + name_ + " near line " + std::to_string(line_) + ": " +
                                 csv_strerror(csv_error(&csv_->parser)) + " (quote fields that hold commas or quotes)");
}

void ManifestReader::end_record() {
    if (!header_done_) return;  // the header: start() reads fields_
    const auto field = [&](int column) {
        return column >= 0 && static_cast<std::size_t>(column) < fields_.size() ? fields_[static_cast<std::size_t>(column)]
                                                                                 : std::string();
    };
    Entry entry;
    entry.line = line_;
    for (int column : column_index_) entry.values.push_back(field(column));
    if (const std::string path = field(path_column_); !path.empty())
        entry.listed = {path, {}};
    else
        entry.listed = {name_ + " line " + std::to_string(line_),
                        "the manifest " + name_ + " has no path on line " + std::to_string(line_)};
    ready_.push_back(std::move(entry));
    fields_.clear();
}

std::optional<ListedPath> ManifestReader::next() {
    if (!started_) start();
    if (first_plain_) {
        current_ = {{std::move(*first_plain_), {}}, {}, line_};
        first_plain_.reset();
        return current_.listed;
    }
    std::string line;
    while (ready_.empty() && !finished_) {
        if (!read_line(line)) {
            finished_ = true;
            if (csv_) feed("", true);
            break;
        }
        if (!csv_) {
            if (!line.empty() && line[0] != '#') ready_.push_back({{line, {}}, {}, line_});
        } else {
            feed(line + "\n", false);
        }
    }
    if (ready_.empty()) return std::nullopt;
    current_ = std::move(ready_.front());
    ready_.pop_front();
    return current_.listed;
}

}  // namespace ser
