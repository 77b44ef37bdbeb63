// ser predict: label and probabilities per file, and with --timeline per analysis window;
// for one clip or a batch of millions (folders, manifests, shards, all cores, resumable).
//
// Exit status: 0 when every file was analysed; 1 when the run itself failed (model, options,
// manifest, output); 1 + k when k files failed (capped at 99: 98 or more); 130 when
// interrupted (--out keeps FILE.partial for --resume).

#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "analysis/analyzer.h"
#include "cli/interrupt.h"
#include "cli/predict_batch.h"
#include "io/atomic_file.h"
#include "io/audio_file.h"
#include "model/model.h"
#include "nn/thread_pool.h"

namespace ser::cli {

namespace {

struct PredictOptions {
    std::string model;
    std::vector<std::string> paths;
    std::string manifest;
    std::string extensions;
    bool timeline = false;
    std::string format = "text";
    std::string out;
    int jobs = 0;
    bool ordered = false;
    std::string shard;
    bool resume = false;
};

std::vector<std::string> parse_extensions(const std::string& list) {
    if (list.empty()) return audio_file_extensions();
    std::vector<std::string> extensions;
    std::stringstream in(list);
    for (std::string ext; std::getline(in, ext, ',');) {
        if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (!ext.empty()) extensions.push_back(ext);
    }
    if (extensions.empty()) throw std::invalid_argument("--ext " + list + ": give extensions separated by commas, e.g. wav,flac");
    return extensions;
}

Outcome analyse_one(Analyzer& analyzer, const PredictInput& input) {
    Outcome o{input.file, std::nullopt, input.error};
    if (!input.error.empty()) return o;
    try {
        o.result = analyzer.analyse(load_audio(input.open, analyzer.model_rate())).result;
    } catch (const std::exception& e) {
        o.error = e.what();
    }
    return o;
}

int exit_status(std::size_t failed) {
    return failed == 0 ? 0 : 1 + static_cast<int>(std::min<std::size_t>(failed, 98));
}

void run_predict(const PredictOptions& o) {
    const OutputFormat format = parse_output_format(o.format);
    if (o.paths.empty() && o.manifest.empty())
        throw std::invalid_argument("predict: give audio files, folders or --manifest FILE (- for standard input)");
    if (o.resume && (o.out.empty() || format != OutputFormat::jsonl))
        throw std::invalid_argument("--resume continues a --format jsonl --out FILE run: give both");

    InputOptions in{o.paths, o.manifest, parse_extensions(o.extensions), Shard{}, nullptr};
    if (!o.shard.empty()) in.shard = parse_shard(o.shard);
    DoneFiles done;
    if (o.resume) {
        if (const auto earlier = AtomicLineFile::resumable(o.out); !earlier.empty()) done.read(earlier);
        in.done = &done;
    }
    const Model model = load_model(read_text_file(o.model));
    const int jobs = o.jobs > 0 ? o.jobs : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    ClipSettings clip;
    clip.timeline = o.timeline;
    clip.whole_clip_limit_s = 0.0;  // the file is in memory anyway
    std::vector<std::unique_ptr<Analyzer>> analyzers;
    for (int i = 0; i < jobs; ++i)
        analyzers.push_back(std::make_unique<Analyzer>(model, model.features.sample_rate, clip));

    PredictInputs inputs(std::move(in));
    RecordWriter writer(format, analyzers[0]->labels(), o.timeline, o.out, o.resume);
    const auto& interrupted = interrupt_flag();
    // One JSON array and the text for people read best in the order given; the streaming
    // formats take --ordered.
    const bool ordered = o.ordered || format == OutputFormat::json || format == OutputFormat::text;
    BatchQueue queue(inputs, writer, ordered, 4 * static_cast<std::size_t>(jobs), interrupted);
    nn::ThreadPool pool(jobs);
    pool.parallel_for(jobs, [&](int worker) {
        try {
            while (auto item = queue.take())
                queue.put(item->first, analyse_one(*analyzers[static_cast<std::size_t>(worker)], item->second));
        } catch (...) {
            queue.abort();
            throw;
        }
    });
    if (done.size() > 0)
        std::fprintf(stderr, "ser predict: resumed: %zu files were already in %s\n", inputs.skipped_done(),
                     o.out.c_str());
    if (interrupted.load()) {
        writer.finish(false);
        std::fprintf(stderr, "ser predict: interrupted after %zu files%s\n", writer.written(),
                     o.out.empty() ? "" : ("; they are in " + AtomicLineFile::partial_path(o.out).string() +
                                           ": run again with --resume to go on").c_str());
        throw CLI::RuntimeError(130);
    }
    writer.finish(true);
    if (queue.failed() > 0) {
        std::fprintf(stderr, "ser predict: %zu of %zu files failed (their records carry the error)\n", queue.failed(),
                     queue.taken());
        throw CLI::RuntimeError(exit_status(queue.failed()));
    }
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto o = std::make_shared<PredictOptions>();
    CLI::App* cmd = app.add_subcommand(
        "predict",
        "Classify audio files with a trained model: files, folders (walked for audio files) or a manifest, in "
        "parallel, streaming one record per file. Exit status: 0 all analysed, 1 the run failed, 2-99 that many "
        "files failed plus one (99: 98 or more), 130 interrupted (docs/BATCH.md)");
    cmd->add_option("--model", o->model, "Model file (e.g. weights/default.json)")->required()->check(CLI::ExistingFile);
    cmd->add_option("paths", o->paths, "Audio files, and folders to walk for them");
    cmd->add_option("--manifest", o->manifest,
                    "File listing inputs (- for standard input): one path per line, or CSV with a path column; "
                    "relative paths are read from the manifest's folder");
    cmd->add_option("--ext", o->extensions,
                    "Extensions to take from folders, e.g. wav,flac (default: every format libsndfile reads)");
    cmd->add_flag("--timeline", o->timeline, "Also give probabilities per analysis window");
    cmd->add_option("--format", o->format, "text, json (one array), jsonl (a line per file) or csv")
        ->check(CLI::IsMember({"text", "json", "jsonl", "csv"}));
    cmd->add_option("--out", o->out, "Write here instead of standard output (FILE.partial until complete)")->check(writable_file());
    cmd->add_option("--jobs", o->jobs, "Files analysed at once (default: every core)")->check(worker_count());
    cmd->add_flag("--ordered", o->ordered,
                  "jsonl, csv: write records in input order (default: as each file finishes; text and json are "
                  "always in input order)");
    cmd->add_option("--shard", o->shard, "Only this process's part I/N (0 <= I < N) of the input, split by a hash "
                                         "of each path");
    cmd->add_flag("--resume", o->resume, "Skip files already in the --out JSON Lines file and append the rest");
    cmd->callback([o] { run_predict(*o); });
}

}  // namespace ser::cli
