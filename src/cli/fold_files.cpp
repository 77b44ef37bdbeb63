#include "cli/fold_files.h"

#include <set>
#include <stdexcept>

#include "io/atomic_file.h"
#include "model/base64.h"

namespace ser::cli {

namespace {

using nlohmann::json;

constexpr const char* format_name = "ser-eval-folds";
constexpr int format_version = 1;

// The clips and their order decide the plan's indices: a digest of them tells runs apart.
std::string data_digest(const ClipSet& clips) {
    std::string text;
    for (const auto& item : clips.items)
        text += std::string(corpus_name(item.corpus)) + "|" + item.speaker + "|" + item.path.filename().string() + "|" +
                item.label + "\n";
    return fnv1a64_tag({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

}  // namespace

json run_header(const SplitPlan& plan, const TrainingConfig& config, const ClipSet& clips, std::size_t train_only_files) {
    json folds = json::array();
    for (const auto& fold : plan.folds) folds.push_back({{"name", fold.name}, {"test_speakers", fold.test_speakers}});
    return {{"format", format_name},
            {"version", format_version},
            {"protocol", plan.protocol},
            {"description", plan.description},
            {"speakers_overlap", plan.speakers_overlap},
            {"caveat", plan.caveat},
            {"folds", folds},
            {"labels", clips.labels},
            {"conditions", clips.condition_names},
            {"config", to_json(config)},
            {"data", {{"files", clips.items.size()}, {"train_only_files", train_only_files}, {"digest", data_digest(clips)}}}};
}

SplitPlan plan_from_header(const json& header) {
    SplitPlan plan;
    plan.protocol = header.at("protocol").get<std::string>();
    plan.description = header.at("description").get<std::string>();
    plan.speakers_overlap = header.at("speakers_overlap").get<bool>();
    plan.caveat = header.at("caveat").get<std::string>();
    for (const auto& f : header.at("folds")) {
        Fold fold;
        fold.name = f.at("name").get<std::string>();
        fold.test_speakers = f.at("test_speakers").get<std::vector<std::string>>();
        plan.folds.push_back(std::move(fold));
    }
    return plan;
}

json to_json(const FoldDocument& document) {
    json folds = json::array();
    for (const auto& fold : document.folds) folds.push_back(ser::to_json(fold));
    return {{"run", document.run}, {"folds", folds}};
}

FoldDocument read_fold_document(const std::filesystem::path& path) {
    try {
        const json j = json::parse(read_text_file(path));
        if (!j.contains("run") || j.at("run").value("format", "") != format_name)
            throw std::invalid_argument("no \"run\" header of format " + std::string(format_name));
        if (j.at("run").at("version").get<int>() != format_version)
            throw std::invalid_argument("format version " + j.at("run").at("version").dump() + ", not " +
                                        std::to_string(format_version));
        FoldDocument document;
        document.run = j.at("run");
        for (const auto& fold : j.at("folds")) document.folds.push_back(fold_outcome_from_json(fold));
        plan_from_header(document.run);  // checks the header's plan fields
        return document;
    } catch (const std::exception& e) {
        throw std::runtime_error(path.string() + " is not a fold result of `ser eval --fold K --out FILE`: " + e.what());
    }
}

FoldDocument merge_fold_documents(const std::vector<std::filesystem::path>& paths) {
    if (paths.empty()) throw std::runtime_error("--merge needs the fold files to merge");
    FoldDocument merged;
    std::set<std::size_t> seen;
    for (std::size_t k = 0; k < paths.size(); ++k) {
        FoldDocument document = read_fold_document(paths[k]);
        if (k == 0) merged.run = document.run;
        else if (document.run != merged.run)
            throw std::runtime_error(paths[k].string() + " comes from another run than " + paths[0].string() +
                                     " (protocol, folds, labels, config or data differ): merge folds of one run only");
        for (auto& fold : document.folds) {
            if (!seen.insert(fold.index).second)
                throw std::runtime_error(paths[k].string() + ": fold " + std::to_string(fold.index + 1) + " (" +
                                         fold.summary.name + ") is in more than one file");
            merged.folds.push_back(std::move(fold));
        }
    }
    return merged;
}

std::filesystem::path resume_file(const std::filesystem::path& dir, const std::string& protocol, std::size_t index) {
    return dir / (protocol + "-fold-" + std::to_string(index + 1) + ".json");
}

}  // namespace ser::cli
