#include "training/fit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "nn/rng.h"
#include "nn/trainer.h"
#include "training/adversary.h"
#include "training/checkpoint.h"
#include "training/corpus_sampling.h"
#include "training/evaluate.h"
#include "training/metrics.h"
#include "model/model_input.h"
#include "training/normalisation_fit.h"
#include "model/network_json.h"

namespace ser {

nlohmann::json to_json(const EpochRecord& r) {
    auto finite_or_null = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    nlohmann::json j = {{"epoch", r.epoch},
            {"learning_rate", r.learning_rate},
            {"train_loss", r.train_loss},
            {"train_accuracy", r.train_accuracy},
            {"validation_loss", finite_or_null(r.validation_loss)},
            {"validation_accuracy", finite_or_null(r.validation_accuracy)},
            {"validation_uar", finite_or_null(r.validation_uar)},
            {"seconds", r.seconds}};
    if (std::isfinite(r.adversary_loss)) j["adversary_loss"] = r.adversary_loss;
    return j;
}

EpochRecord epoch_record_from_json(const nlohmann::json& j) {
    auto number = [&](const char* key) { return j.at(key).is_null() ? std::nan("") : j.at(key).get<double>(); };
    EpochRecord r;
    r.epoch = j.at("epoch").get<int>();
    r.learning_rate = number("learning_rate");
    r.train_loss = number("train_loss");
    r.train_accuracy = number("train_accuracy");
    r.validation_loss = number("validation_loss");
    r.validation_accuracy = number("validation_accuracy");
    r.validation_uar = number("validation_uar");
    r.seconds = number("seconds");
    if (j.contains("adversary_loss")) r.adversary_loss = number("adversary_loss");
    return r;
}

InputShape input_shape(const TrainingConfig& config, const ClipSet& clips) {
    const FeatureMatrix& first = clips.variants.front().front();
    InputShape s;
    s.channels = first.rows;
    s.pooled = config.features.input.pooling != Pooling::none;
    s.windowed = config.input.window_s > 0.0;
    s.frames = s.windowed ? window_frames(config) : first.cols;
    if (s.frames <= 0) throw std::invalid_argument("input.window_s is shorter than one feature frame");
    return s;
}

namespace {

using Clock = std::chrono::steady_clock;

// Gamma(shape, 1) by Marsaglia and Tsang; Beta(a, a) = X / (X + Y) for mixup weights.
double gamma_sample(nn::Rng& rng, double shape) {
    if (shape < 1.0) return gamma_sample(rng, shape + 1.0) * std::pow(rng.uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = rng.normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = rng.uniform();
        if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
}

double beta_sample(nn::Rng& rng, double a) {
    const double x = gamma_sample(rng, a), y = gamma_sample(rng, a);
    return x / (x + y);
}

// Everything that decides the run: a checkpoint made under another of these is refused.
std::string run_identity(const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> train,
                         std::span<const std::size_t> validation) {
    nlohmann::json id = {{"config", to_json(config)}};
    auto names = [&](std::span<const std::size_t> idx) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i : idx) list.push_back(clips.items[i].speaker + "/" + clips.items[i].path.filename().string());
        return list;
    };
    id["train"] = names(train);
    id["validation"] = names(validation);
    return id.dump();
}

struct ValidationScores {
    double loss = std::numeric_limits<double>::quiet_NaN();
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    double uar = std::numeric_limits<double>::quiet_NaN();
};

// The labels each clip's corpus recorded, when the run masks the loss to them.
struct LabelMasks {
    std::map<Corpus, std::vector<std::uint8_t>> of_corpus;  // empty: masking is off

    bool on() const { return !of_corpus.empty(); }
    const std::vector<std::uint8_t>& of(const ClipSet& clips, std::size_t item) const {
        return of_corpus.at(clips.items[item].corpus);
    }
};

LabelMasks label_masks(const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> train,
                       std::span<const std::size_t> validation) {
    LabelMasks masks;
    if (config.label_mask == "off") return masks;
    const auto sets = corpus_label_sets(clips);
    std::set<Corpus> corpora;
    for (auto side : {train, validation})
        for (std::size_t i : side) corpora.insert(clips.items[i].corpus);
    bool differ = false;
    for (Corpus c : corpora) differ = differ || !std::equal(sets.at(c).begin(), sets.at(c).end(), sets.at(*corpora.begin()).begin());
    if (config.label_mask == "corpus" || differ) masks.of_corpus = sets;
    return masks;
}

ValidationScores validate(nn::Network& net, const Normalisation& norm, const InputShape& shape,
                          const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> validation,
                          const LabelMasks& masks, nn::ThreadPool* pool) {
    ValidationScores v;
    if (validation.empty()) return v;
    ClipScores scores = score_clips(net, norm, shape, config, clips, validation, pool);
    const int classes = scores.classes;
    // Masked, a clip is judged among its corpus's labels: its probabilities renormalised over them.
    if (masks.on())
        for (std::size_t k = 0; k < validation.size(); ++k) {
            const auto& mask = masks.of(clips, validation[k]);
            float* p = scores.clip_probabilities.data() + k * static_cast<std::size_t>(classes);
            double sum = 0.0;
            for (int c = 0; c < classes; ++c) sum += mask[static_cast<std::size_t>(c)] ? p[c] : 0.0f;
            for (int c = 0; c < classes; ++c)
                p[c] = mask[static_cast<std::size_t>(c)] ? static_cast<float>(p[c] / std::max(sum, 1e-30)) : 0.0f;
        }
    std::vector<int> truth;
    double nll = 0.0;
    for (std::size_t k = 0; k < validation.size(); ++k) {
        const int t = clips.label[validation[k]];
        truth.push_back(t);
        const float p = scores.clip_probabilities[k * static_cast<std::size_t>(classes) + static_cast<std::size_t>(t)];
        nll -= std::log(std::max(p, 1e-12f));
    }
    const auto predicted = predicted_classes(scores.clip_probabilities, classes);
    const ClassificationScores s = score(confusion_matrix(truth, predicted, classes));
    v.loss = nll / static_cast<double>(validation.size());
    v.accuracy = s.accuracy;
    v.uar = s.uar;
    return v;
}

// Higher is better for every metric we stop on: the loss is negated.
double stopping_value(const EarlyStopping& es, const ValidationScores& v) {
    if (es.metric == "loss") return -v.loss;
    if (es.metric == "accuracy") return v.accuracy;
    return v.uar;
}

std::vector<float> balanced_class_weights(const ClipSet& clips, std::span<const std::size_t> train) {
    std::vector<double> counts(clips.labels.size(), 0.0);
    for (std::size_t i : train) counts[static_cast<std::size_t>(clips.label[i])] += 1.0;
    std::vector<float> w;
    const double classes_present = static_cast<double>(std::count_if(counts.begin(), counts.end(), [](double c) { return c > 0; }));
    for (double c : counts)
        w.push_back(c > 0 ? static_cast<float>(static_cast<double>(train.size()) / (classes_present * c)) : 0.0f);
    return w;
}

// Builds one training batch: a random window of a random copy of each clip, normalised,
// masked (SpecAugment) and mixed (mixup). All randomness comes from `rng`, itself seeded by
// (run seed, epoch, batch), so a resumed run rebuilds exactly the same batches.
struct BatchBuilder {
    const TrainingConfig& config;
    const ClipSet& clips;
    const InputShape& shape;
    const Normalisation& norm;
    const LabelMasks& masks;

    std::vector<float> inputs, mixed, soft, levels;
    std::vector<int> labels, kept;
    std::vector<std::uint8_t> allowed;  // n x classes when masking, else empty

    void build(std::span<const std::size_t> members, nn::Rng& rng) {
        const std::size_t size = static_cast<std::size_t>(shape.channels) * static_cast<std::size_t>(shape.frames);
        inputs.resize(members.size() * size);
        labels.clear();
        allowed.clear();
        for (std::size_t k = 0; k < members.size(); ++k) {
            const auto& variants = clips.variants[members[k]];
            const FeatureMatrix& clip = variants[rng.below(variants.size())];
            const std::span<float> x(inputs.data() + k * size, size);
            if (shape.windowed) {
                const int slack = std::max(0, clip.cols - shape.frames);
                const int start = static_cast<int>(rng.below(static_cast<std::uint64_t>(slack) + 1));
                if (norm.speech_range_db > 0.0) frame_levels(clip, norm.level_rows, levels);
                gather_window(clip, levels, start, shape.frames, norm, x, kept);
            } else {
                std::copy(clip.values.begin(), clip.values.end(), x.begin());
            }
            normalise_input(x, shape.channels, shape.frames, shape.pooled, norm);
            spec_augment(x, rng);
            labels.push_back(clips.label[members[k]]);
            if (masks.on()) {
                const auto& mask = masks.of(clips, members[k]);
                allowed.insert(allowed.end(), mask.begin(), mask.end());
            }
        }
        if (config.mixup_alpha > 0.0) mixup(members.size(), size, rng);
    }

    void spec_augment(std::span<float> x, nn::Rng& rng) const {
        const auto& sa = config.spec_augment;
        const int rows = shape.channels, cols = shape.frames;
        for (int m = 0; m < sa.freq_masks; ++m) {
            const int width = static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(sa.freq_width, rows)) + 1));
            const int first = static_cast<int>(rng.below(static_cast<std::uint64_t>(rows - width) + 1));
            for (int r = first; r < first + width; ++r)
                std::fill_n(x.begin() + static_cast<std::ptrdiff_t>(r) * cols, cols, 0.0f);
        }
        for (int m = 0; m < sa.time_masks; ++m) {
            const int width = static_cast<int>(rng.below(static_cast<std::uint64_t>(std::min(sa.time_width, cols)) + 1));
            const int first = static_cast<int>(rng.below(static_cast<std::uint64_t>(cols - width) + 1));
            for (int r = 0; r < rows; ++r)
                std::fill_n(x.begin() + static_cast<std::ptrdiff_t>(r) * cols + first, width, 0.0f);
        }
    }

    // Each example is blended with a partner from a shuffled copy of the batch; the blend
    // weight keeps the example's own label dominant, so train accuracy stays meaningful.
    void mixup(std::size_t n, std::size_t size, nn::Rng& rng) {
        const int classes = static_cast<int>(clips.labels.size());
        double lambda = beta_sample(rng, config.mixup_alpha);
        lambda = std::max(lambda, 1.0 - lambda);
        std::vector<std::size_t> partner(n);
        for (std::size_t k = 0; k < n; ++k) partner[k] = k;
        rng.shuffle(std::span<std::size_t>(partner));
        mixed.resize(inputs.size());
        soft.assign(n * static_cast<std::size_t>(classes), 0.0f);
        const auto l = static_cast<float>(lambda);
        for (std::size_t k = 0; k < n; ++k) {
            const float* a = inputs.data() + k * size;
            const float* b = inputs.data() + partner[k] * size;
            for (std::size_t i = 0; i < size; ++i) mixed[k * size + i] = l * a[i] + (1.0f - l) * b[i];
            soft[k * static_cast<std::size_t>(classes) + static_cast<std::size_t>(labels[k])] += l;
            soft[k * static_cast<std::size_t>(classes) + static_cast<std::size_t>(labels[partner[k]])] += 1.0f - l;
        }
        // A blend of two corpora's clips may take the labels of either.
        if (!allowed.empty()) {
            const std::vector<std::uint8_t> own = allowed;
            const auto k_classes = static_cast<std::size_t>(classes);
            for (std::size_t k = 0; k < n; ++k)
                for (std::size_t c = 0; c < k_classes; ++c)
                    allowed[k * k_classes + c] = own[k * k_classes + c] | own[partner[k] * k_classes + c];
        }
        inputs.swap(mixed);
    }
};

Normalisation fit_input_normalisation(const TrainingConfig& config, const ClipSet& clips, const InputShape& shape,
                                      std::span<const std::size_t> train) {
    const std::size_t size = static_cast<std::size_t>(shape.channels) * static_cast<std::size_t>(shape.frames);
    const int hop = shape.windowed ? static_cast<int>(std::lround(config.input.hop_s * config.features.sample_rate)) /
                                         config.features.stft.hop_length
                                   : 1;
    Normalisation window_rules;  // what happens to a window before the statistics apply
    window_rules.speech_range_db = config.speech_range_db;
    window_rules.floor_db = config.floor_db;
    window_rules.level_rows = level_rows(config.features);
    std::vector<std::vector<float>> windows;
    std::vector<float> levels;
    std::vector<int> kept;
    for (std::size_t i : train) {
        const FeatureMatrix& clip = clips.variants[i].front();
        if (!shape.windowed) {
            windows.push_back(clip.values);
            continue;
        }
        if (window_rules.speech_range_db > 0.0) frame_levels(clip, window_rules.level_rows, levels);
        for (int start : window_starts(clip.cols, shape.frames, hop)) {
            windows.emplace_back(size);
            gather_window(clip, levels, start, shape.frames, window_rules, windows.back(), kept);
            normalise_input(windows.back(), shape.channels, shape.frames, shape.pooled, window_rules);
        }
    }
    std::vector<std::span<const float>> views(windows.begin(), windows.end());
    Normalisation n = fit_normalisation(views, shape.channels, shape.frames, shape.pooled, config.per_utterance_normalisation);
    n.speech_range_db = window_rules.speech_range_db;
    n.floor_db = window_rules.floor_db;
    n.level_rows = window_rules.level_rows;
    return n;
}

void add_to_average(CheckpointState& state, nn::Network& net) {
    std::vector<std::vector<float>> now = snapshot_tensors(net);
    if (state.averaged_epochs == 0) {
        state.averaged_sum = std::move(now);
    } else {
        for (std::size_t t = 0; t < now.size(); ++t)
            for (std::size_t i = 0; i < now[t].size(); ++i) state.averaged_sum[t][i] += now[t][i];
    }
    ++state.averaged_epochs;
}

std::vector<std::vector<float>> average_of(const CheckpointState& state) {
    std::vector<std::vector<float>> mean = state.averaged_sum;
    const float n = static_cast<float>(state.averaged_epochs);
    for (auto& tensor : mean)
        for (float& v : tensor) v /= n;
    return mean;
}

}  // namespace

Model model_of(const TrainingConfig& config, const ClipSet& clips, const FitResult& fitted) {
    Model m;
    m.labels = clips.labels;
    m.features = config.features;
    m.normalisation = fitted.normalisation;
    m.analysis.window_s = config.input.window_s > 0.0 ? config.input.window_s : m.analysis.window_s;
    m.analysis.hop_s = config.input.hop_s;
    m.analysis.edge_s = config.input.edge_s;
    m.network = fitted.network.clone();
    return m;
}

FitResult fit(const TrainingConfig& config, const ClipSet& clips, std::span<const std::size_t> train,
              std::span<const std::size_t> validation, const FitOptions& options) {
    if (train.empty()) throw std::invalid_argument("nothing to train on: the training side of this split is empty");
    const InputShape shape = input_shape(config, clips);
    const int classes = static_cast<int>(clips.labels.size());

    FitResult result;
    result.labels = clips.labels;
    result.network = ser::network_from_json(network_architecture(config, shape.channels, shape.frames, classes));
    if (result.network.output_shape().channels != classes)
        throw std::invalid_argument("network: the last layer gives " + std::to_string(result.network.output_shape().channels) +
                                    " outputs but the data has " + std::to_string(classes) + " labels; set the last dense layer's \"units\" to \"labels\"");
    nn::Network& net = result.network;
    net.init(config.seed);
    result.normalisation = fit_input_normalisation(config, clips, shape, train);

    nn::LossConfig loss = config.loss;
    if (config.balance_classes) loss.class_weights = balanced_class_weights(clips, train);
    nn::Trainer trainer(net, config.optimizer, loss, options.threads, config.seed);
    nn::LrSchedule schedule(config.schedule);
    std::vector<int> domain_of;  // per item, for the adversary
    if (config.adversary) {
        int domains = 0;
        domain_of = adversary_domains(*config.adversary, clips, train, domains);
        trainer.attach_adversary(make_adversary(*config.adversary, net, domains, nn::mix_seed(config.seed, 0xad)));
    }
    std::vector<int> batch_domains;

    const std::size_t batch_size = static_cast<std::size_t>(config.batch_size);
    // A last batch of one would give BatchNorm no spread to normalise by: it is dropped.
    std::size_t batches = (train.size() + batch_size - 1) / batch_size;
    if (batches > 1 && train.size() % batch_size == 1) --batches;

    CheckpointState state;
    state.identity = run_identity(config, clips, train, validation);
    if (options.resume) {
        if (options.checkpoint.empty()) throw std::invalid_argument("--resume needs a checkpoint path");
        state = load_checkpoint(options.checkpoint, state.identity, net, trainer);
        for (const auto& record : state.history)
            if (std::isfinite(record.validation_uar)) schedule.observe(stopping_value(config.early_stopping, {record.validation_loss, record.validation_accuracy, record.validation_uar}));
    }

    const LabelMasks masks = label_masks(config, clips, train, validation);
    result.label_masked = masks.on();
    BatchBuilder builder{config, clips, shape, result.normalisation, masks, {}, {}, {}, {}, {}, {}, {}};
    std::vector<std::size_t> order(train.begin(), train.end());
    // The ETA comes from this process's pace, validation included.
    const auto run_start = Clock::now();
    std::size_t batches_here = 0;

    while (state.epoch < config.epochs && !state.stopped_early) {
        const int epoch = state.epoch;  // 0-based, in progress
        auto last_mark = Clock::now();
        nn::Rng shuffle_rng(nn::mix_seed(config.seed, static_cast<std::uint64_t>(epoch)));
        if (config.corpus_sampling_power) {
            order = corpus_balanced_order(clips.items, train, *config.corpus_sampling_power, shuffle_rng);
        } else {
            std::copy(train.begin(), train.end(), order.begin());
            shuffle_rng.shuffle(std::span<std::size_t>(order));
        }

        for (std::size_t b = static_cast<std::size_t>(state.batch); b < batches; ++b) {
            if (options.stop && options.stop->load()) {
                if (!options.checkpoint.empty()) save_checkpoint(options.checkpoint, state, net, trainer);
                result.interrupted = true;
                result.history = state.history;
                return result;
            }
            const std::size_t first = b * batch_size;
            const std::size_t count = b + 1 == batches ? order.size() - first : batch_size;
            nn::Rng rng(nn::mix_seed(nn::mix_seed(config.seed, static_cast<std::uint64_t>(epoch)), b + 1));
            builder.build(std::span<const std::size_t>(order).subspan(first, count), rng);

            nn::TrainBatch tb;
            tb.inputs = builder.inputs;
            tb.n = static_cast<int>(count);
            tb.allowed = builder.allowed;
            if (config.mixup_alpha > 0.0) {
                tb.soft_targets = builder.soft;
            } else {
                tb.labels = builder.labels;
            }
            const double at = epoch + static_cast<double>(b) / static_cast<double>(batches);
            float adversary = 0.0f;
            if (config.adversary) {
                batch_domains.clear();
                for (std::size_t k = first; k < first + count; ++k) batch_domains.push_back(domain_of[order[k]]);
                tb.domains = batch_domains;
                adversary = adversary_weight(*config.adversary, at / config.epochs);
            }
            const nn::StepResult step = trainer.step(tb, static_cast<float>(schedule.at(at)), adversary);
            state.loss_sum += static_cast<double>(step.loss) * static_cast<double>(count);
            state.adversary_loss_sum += static_cast<double>(step.adversary_loss) * static_cast<double>(count);
            state.correct += step.correct;
            state.seen += static_cast<std::int64_t>(count);
            state.batch = static_cast<int>(b + 1);
            const auto now = Clock::now();
            state.epoch_seconds += std::chrono::duration<double>(now - last_mark).count();
            last_mark = now;
            ++batches_here;

            if (options.on_progress) {
                FitProgress p;
                p.epoch = epoch + 1;
                p.epochs = config.epochs;
                p.batch = static_cast<int>(b + 1);
                p.batches = static_cast<int>(batches);
                p.loss = state.loss_sum / static_cast<double>(state.seen);
                p.accuracy = static_cast<double>(state.correct) / static_cast<double>(state.seen);
                const double per_batch = std::chrono::duration<double>(now - run_start).count() / static_cast<double>(batches_here);
                const double left = static_cast<double>(config.epochs - epoch - 1) * static_cast<double>(batches) +
                                    static_cast<double>(batches - b - 1);
                p.eta_s = per_batch * left;
                options.on_progress(p);
            }
        }

        const ValidationScores v = validate(net, result.normalisation, shape, config, clips, validation, masks, &trainer.pool());
        EpochRecord record;
        record.epoch = epoch + 1;
        record.learning_rate = schedule.at(epoch);
        record.train_loss = state.loss_sum / static_cast<double>(std::max<std::int64_t>(state.seen, 1));
        record.train_accuracy = static_cast<double>(state.correct) / static_cast<double>(std::max<std::int64_t>(state.seen, 1));
        record.validation_loss = v.loss;
        record.validation_accuracy = v.accuracy;
        record.validation_uar = v.uar;
        record.seconds = state.epoch_seconds;
        if (config.adversary) record.adversary_loss = state.adversary_loss_sum / static_cast<double>(std::max<std::int64_t>(state.seen, 1));
        state.history.push_back(record);
        if (options.on_epoch) options.on_epoch(record);

        if (!validation.empty()) {
            const double value = stopping_value(config.early_stopping, v);
            schedule.observe(value);
            if (state.best_epoch == 0 || value > state.best_value) {
                state.best_value = value;
                state.best_epoch = epoch + 1;
                state.best_tensors = snapshot_tensors(net);
                state.bad_epochs = 0;
            } else if (config.early_stopping.patience > 0 && ++state.bad_epochs >= config.early_stopping.patience) {
                state.stopped_early = true;
            }
        }
        if (config.average_from_epoch && epoch + 1 >= *config.average_from_epoch) add_to_average(state, net);
        state.epoch = epoch + 1;
        state.batch = 0;
        state.loss_sum = 0.0;
        state.adversary_loss_sum = 0.0;
        state.correct = 0;
        state.seen = 0;
        state.epoch_seconds = 0.0;
        if (!options.checkpoint.empty()) save_checkpoint(options.checkpoint, state, net, trainer);
    }

    if (state.averaged_epochs > 0) {
        restore_tensors(net, average_of(state));
        result.averaged_epochs = state.averaged_epochs;
    } else if (!state.best_tensors.empty()) {
        restore_tensors(net, state.best_tensors);
    }
    result.best_epoch = state.best_epoch == 0 ? state.epoch : state.best_epoch;
    result.early_stopped = state.stopped_early;
    result.history = state.history;
    return result;
}

}  // namespace ser
