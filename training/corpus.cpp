#include "training/corpus.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "training/corpus_conventions.h"

namespace ser {

namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view convention_of(Corpus corpus) {
    switch (corpus) {
        case Corpus::ravdess: return "MM-VC-EE-II-SS-RR-AA, e.g. 03-01-05-01-02-01-12.wav";
        case Corpus::tess: return "<OAF|YAF>_<word>_<emotion>, e.g. OAF_back_angry.wav";
        case Corpus::crema_d: return "<actor>_<sentence>_<emotion>_<level>, e.g. 1001_DFA_ANG_XX.wav";
        case Corpus::savee: return "<speaker>_<emotion><nn>, e.g. DC_a01.wav (or DC/a01.wav)";
        case Corpus::emodb: return "<speaker><text><emotion><version>, e.g. 03a01Wa.wav";
        case Corpus::nemo: return "<speaker>_<emotion>_<n>, e.g. samples/EB0_anger_1.wav";
        case Corpus::ased: return "<e><k>-<sentence>-<repetition>-<gender>-<speaker>, e.g. 01Neutral/n1-07-01-02-53.wav";
    }
    return "";
}

[[noreturn]] void fail_walk(Corpus corpus, const std::filesystem::path& dir, const std::error_code& ec) {
    throw std::runtime_error("cannot read the " + std::string(corpus_name(corpus)) + " folder " + dir.string() + ": " +
                             ec.message());
}

std::string no_items_message(Corpus corpus, const std::filesystem::path& dir, const CorpusScan& scan) {
    std::string text = "no " + std::string(corpus_name(corpus)) + " recordings in " + dir.string() + ": ";
    if (scan.unmatched.empty() && scan.excluded.empty()) {
        text += "it holds no audio files (" + std::to_string(scan.non_audio.size()) + " other files)";
    } else if (!scan.unmatched.empty()) {
        text += std::to_string(scan.unmatched.size()) + " audio files do not follow the naming " +
                std::string(convention_of(corpus)) + "; the first is " + scan.unmatched.front().path.string() + " (" +
                scan.unmatched.front().reason + ")";
    } else {
        text += "all " + std::to_string(scan.excluded.size()) + " recordings were left out by option; the first: " +
                scan.excluded.front().reason;
    }
    return text + ". Check that the folder belongs to this corpus.";
}

}  // namespace

std::string_view corpus_name(Corpus corpus) {
    switch (corpus) {
        case Corpus::ravdess: return "ravdess";
        case Corpus::tess: return "tess";
        case Corpus::crema_d: return "crema-d";
        case Corpus::savee: return "savee";
        case Corpus::emodb: return "emodb";
        case Corpus::nemo: return "nemo";
        case Corpus::ased: return "ased";
    }
    return "unknown";
}

std::string_view corpus_language(Corpus corpus) {
    switch (corpus) {
        case Corpus::ravdess: return "English (North American)";
        case Corpus::tess: return "English (Canadian)";
        case Corpus::crema_d: return "English (American)";
        case Corpus::savee: return "English (British)";
        case Corpus::emodb: return "German";
        case Corpus::nemo: return "Polish";
        case Corpus::ased: return "Amharic";
    }
    return "unknown";
}

Corpus parse_corpus_name(std::string_view name) {
    const std::string key = lowercase(name);
    if (key == "ravdess") return Corpus::ravdess;
    if (key == "tess") return Corpus::tess;
    if (key == "crema-d" || key == "cremad" || key == "crema_d") return Corpus::crema_d;
    if (key == "savee") return Corpus::savee;
    if (key == "emodb" || key == "emo-db") return Corpus::emodb;
    if (key == "nemo") return Corpus::nemo;
    if (key == "ased") return Corpus::ased;
    throw std::invalid_argument("unknown corpus '" + std::string(name) +
                                "': use one of ravdess, tess, crema-d, savee, emodb, nemo, ased");
}

namespace {

NameMatch match_file(Corpus corpus, const std::filesystem::path& path, const CorpusOptions& options,
                     const detail::NemoTable* nemo_table) {
    if (!is_audio_file_name(path)) return detail::unmatched("not an audio file extension");
    NameMatch match;
    switch (corpus) {
        case Corpus::ravdess: match = detail::match_ravdess(path, options); break;
        case Corpus::tess: match = detail::match_tess(path); break;
        case Corpus::crema_d: match = detail::match_crema_d(path); break;
        case Corpus::savee: match = detail::match_savee(path); break;
        case Corpus::emodb: match = detail::match_emodb(path); break;
        case Corpus::nemo: match = detail::match_nemo(path, nemo_table); break;
        case Corpus::ased: match = detail::match_ased(path); break;
    }
    if (match.outcome != NameMatch::Outcome::matched) return match;
    match.item.path = path;
    match.item.corpus = corpus;
    const auto label = apply_label_options(match.item.emotion, options.labels);
    if (!label) {
        match.outcome = NameMatch::Outcome::excluded;
        match.reason = match.item.emotion + " is dropped (keep it with the keep_boredom label option)";
        return match;
    }
    match.item.label = *label;
    return match;
}

detail::NemoTable read_nemo_table(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    fs::path tsv = dir / "data.tsv";
    if (!fs::exists(tsv) && dir.filename() == "samples") tsv = dir.parent_path() / "data.tsv";
    std::ifstream in(tsv, std::ios::binary);
    if (!in)
        throw std::runtime_error("nEMO's data.tsv (speakers and genders) is not in " + dir.string() +
                                 ": give the release's folder, which holds data.tsv and samples/");
    std::stringstream text;
    text << in.rdbuf();
    return detail::parse_nemo_table(text.str(), tsv.string());
}

// The gender most of a speaker's files give (ties: the first file's), for every file.
void settle_speaker_genders(std::vector<CorpusItem>& items) {
    std::map<std::string, std::map<Gender, int>> votes;
    std::map<std::string, Gender> first;
    for (const auto& item : items) {
        ++votes[item.speaker][item.gender];
        first.emplace(item.speaker, item.gender);
    }
    for (auto& item : items) {
        Gender best = first.at(item.speaker);
        for (const auto& [gender, count] : votes.at(item.speaker))
            if (count > votes.at(item.speaker).at(best)) best = gender;
        item.gender = best;
    }
}

}  // namespace

NameMatch match_corpus_file(Corpus corpus, const std::filesystem::path& path, const CorpusOptions& options) {
    return match_file(corpus, path, options, nullptr);
}

CorpusScan read_corpus(Corpus corpus, const std::filesystem::path& dir, const CorpusOptions& options) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (ec || !fs::exists(status))
        throw std::runtime_error("the " + std::string(corpus_name(corpus)) + " folder " + dir.string() +
                                 " does not exist: check the path given for it");
    if (!fs::is_directory(status))
        throw std::runtime_error(dir.string() + " is not a folder: give the folder that holds the " +
                                 std::string(corpus_name(corpus)) + " files");

    std::vector<fs::path> files;
    // An unreadable sub-folder is an error, not a silent hole in the data.
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) fail_walk(corpus, dir, ec);
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) fail_walk(corpus, dir, ec);
        if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) fail_walk(corpus, dir, ec);
    std::sort(files.begin(), files.end());
    std::optional<detail::NemoTable> nemo_table;
    if (corpus == Corpus::nemo) nemo_table = read_nemo_table(dir);

    CorpusScan scan;
    // The same recording in two formats beside each other (x.wav and x.flac) would count twice.
    std::map<fs::path, fs::path> first_of_stem;
    for (const auto& file : files) {
        if (!is_audio_file_name(file)) {
            scan.non_audio.push_back(file);
            continue;
        }
        NameMatch match = match_file(corpus, file, options, nemo_table ? &*nemo_table : nullptr);
        switch (match.outcome) {
            case NameMatch::Outcome::unmatched: scan.unmatched.push_back({file, match.reason}); break;
            case NameMatch::Outcome::excluded: scan.excluded.push_back({file, match.reason}); break;
            case NameMatch::Outcome::matched: {
                const auto [first, fresh] = first_of_stem.emplace(file.parent_path() / file.stem(), file);
                if (!fresh) {
                    scan.excluded.push_back({file, "the same recording as " + first->second.filename().string() +
                                                       ", in another format"});
                    break;
                }
                scan.items.push_back(std::move(match.item));
                break;
            }
        }
    }
    if (scan.items.empty()) throw std::runtime_error(no_items_message(corpus, dir, scan));
    settle_speaker_genders(scan.items);
    return scan;
}

namespace detail {

NameMatch unmatched(std::string reason) {
    NameMatch match;
    match.outcome = NameMatch::Outcome::unmatched;
    match.reason = std::move(reason);
    return match;
}

NameMatch matched(CorpusItem item) {
    NameMatch match;
    match.outcome = NameMatch::Outcome::matched;
    match.item = std::move(item);
    return match;
}

int parse_fixed_digits(std::string_view text, std::size_t digits) {
    if (text.size() != digits) return -1;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace detail

}  // namespace ser
