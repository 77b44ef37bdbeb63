#include "cli/predict_output.h"

#include <algorithm>
#include <stdexcept>

#include "analysis/result_json.h"

namespace ser::cli {

namespace {

std::string top_text(const std::vector<std::string>& labels, const std::vector<float>& p, std::size_t count) {
    std::vector<std::size_t> order(p.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    std::string text;
    for (std::size_t k = 0; k < std::min(count, order.size()); ++k) {
        char item[64];
        std::snprintf(item, sizeof item, "%s%s %.2f", k ? ", " : "", labels[order[k]].c_str(), p[order[k]]);
        text += item;
    }
    return text;
}

std::string text_record(const Outcome& o, const std::vector<std::string>& labels) {
    if (!o.result) return o.file + "\terror\t" + o.error + "\n";
    const ClipResult& r = *o.result;
    std::string text = o.file + "\t" + labels[static_cast<std::size_t>(r.label)] + "\t(" +
                       top_text(labels, r.probabilities, 3) + ")\n";
    if (const std::string note = clip_result_note(r); !note.empty()) text += "  note: " + note + "\n";
    for (const auto& w : r.windows) {
        char line[512];
        std::snprintf(line, sizeof line, "  %6.2f-%6.2f s  %-7s %s\n", w.start_s, w.end_s,
                      w.activity.is_speech ? "speech" : "silence", top_text(labels, w.probabilities, 3).c_str());
        text += line;
    }
    return text;
}

// One element of the JSON array, as nlohmann's dump(2) of the whole array lays it out.
std::string json_array_item(const nlohmann::json& record, bool first) {
    const std::string dumped = record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string text = first ? "[\n  " : ",\n  ";
    for (char c : dumped) {
        text += c;
        if (c == '\n') text += "  ";
    }
    return text;
}

}  // namespace

OutputFormat parse_output_format(const std::string& name) {
    if (name == "text") return OutputFormat::text;
    if (name == "json") return OutputFormat::json;
    if (name == "jsonl") return OutputFormat::jsonl;
    if (name == "csv") return OutputFormat::csv;
    throw std::invalid_argument("--format " + name + ": use text, json, jsonl or csv");
}

RecordWriter::RecordWriter(OutputFormat format, std::vector<std::string> labels, bool timeline, const std::string& out,
                           bool resume)
    : format_(format), labels_(std::move(labels)), timeline_(timeline) {
    if (!out.empty()) file_ = std::make_unique<AtomicLineFile>(out, resume);
    if (format_ == OutputFormat::csv) emit(result_csv_header(labels_));
}

RecordWriter::~RecordWriter() = default;

std::string RecordWriter::format(const Outcome& o) const {
    switch (format_) {
        case OutputFormat::text: return text_record(o, labels_);
        case OutputFormat::csv:
            return o.result ? clip_result_csv(o.file, *o.result, labels_, timeline_)
                            : failed_file_csv(o.file, o.error, labels_);
        case OutputFormat::json:
        case OutputFormat::jsonl: {
            const nlohmann::json record =
                o.result ? clip_result_json(o.file, *o.result, labels_, timeline_) : failed_file_json(o.file, o.error);
            return format_ == OutputFormat::jsonl ? json_line(record) : json_array_item(record, written_ == 0);
        }
    }
    return {};
}

void RecordWriter::emit(const std::string& text) {
    if (file_) {
        file_->write(text);
        return;
    }
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
        throw std::runtime_error("cannot write to standard output");
}

void RecordWriter::write(const Outcome& outcome) {
    emit(format(outcome));
    ++written_;
}

void RecordWriter::finish(bool complete) {
    if (finished_) return;
    finished_ = true;
    if (!complete) return;
    if (format_ == OutputFormat::json) emit(written_ ? "\n]\n" : "[]\n");
    if (file_) file_->commit();
}

}  // namespace ser::cli
