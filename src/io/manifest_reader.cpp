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

ManifestReader::ManifestReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}
ManifestReader::~ManifestReader() = default;

bool ManifestReader::read_line(std::string& line) {
    if (!std::getline(in_, line)) {
        if (in_.bad()) throw std::runtime_error("cannot read the manifest " + name_);
        return false;
    }
    ++line_;
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
    const auto column = static_cast<std::size_t>(path_column_);
    if (column < fields_.size() && !fields_[column].empty()) {
        ready_.push_back({fields_[column], {}});
    } else {
        ready_.push_back({name_ + " line " + std::to_string(line_),
                          "the manifest " + name_ + " has no path on line " + std::to_string(line_)});
    }
    fields_.clear();
}

std::optional<ListedPath> ManifestReader::next() {
    if (!started_) start();
    if (first_plain_) {
        ListedPath first{std::move(*first_plain_), {}};
        first_plain_.reset();
        return first;
    }
    std::string line;
    while (ready_.empty() && !finished_) {
        if (!read_line(line)) {
            finished_ = true;
            if (csv_) feed("", true);
            break;
        }
        if (!csv_) {
            if (!line.empty() && line[0] != '#') ready_.push_back({line, {}});
        } else {
            feed(line + "\n", false);
        }
    }
    if (ready_.empty()) return std::nullopt;
    ListedPath entry = std::move(ready_.front());
    ready_.pop_front();
    return entry;
}

}  // namespace ser
