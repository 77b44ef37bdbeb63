#include "model/adapt.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/model_input.h"
#include "model/selftest.h"
#include "model/speaker_statistics.h"
#include "nn/layers.h"
#include "nn/loss.h"
#include "nn/optimizer.h"
#include "nn/rng.h"

namespace ser {
namespace {

struct Method {
    bool normalisation = false;
    int dense = 0;           // trailing dense layers adapted
    bool bias_only = false;  // of the last one
};

Method parse_method(const std::string& text) {
    Method m;
    std::string rest = text;
    if (rest.rfind("norm", 0) == 0) {
        m.normalisation = true;
        rest = rest.substr(4);
        if (rest.rfind("+", 0) == 0) rest = rest.substr(1);
        else if (!rest.empty()) rest = "?";
    }
    if (rest == "bias") m = {m.normalisation, 1, true};
    else if (rest == "head") m.dense = 1;
    else if (rest == "head2") m.dense = 2;
    else if (!rest.empty() || !m.normalisation)
        throw std::invalid_argument("adaptation method \"" + text +
                                    "\" is not one of norm, bias, head, head2, norm+bias, norm+head, norm+head2");
    return m;
}

bool pooled(const Model& m) { return m.features.input.pooling == Pooling::mean; }

// Every analysis window of every clip as network inputs (a pooled model: one per clip),
// with the clip each came from and how much it counts in that clip's mean at inference
// (weigh_windows; a pooled model's one window counts 1). Windows that count for nothing
// there (silence around the speech) are left out. Raw: before normalisation.
struct Windows {
    std::vector<float> data;
    std::vector<int> clip;
    std::vector<float> weight;
    std::size_t size = 0;  // values per window
};

Windows cut_windows(const Model& m, std::span<const AdaptClip> clips) {
    const nn::Shape in = m.network.input_shape();
    Windows w;
    w.size = static_cast<std::size_t>(in.size());
    const int hop = std::max(1, static_cast<int>(std::lround(m.analysis.hop_s * m.features.sample_rate /
                                                              m.features.stft.hop_length)));
    std::vector<float> levels;
    std::vector<int> kept;
    for (std::size_t k = 0; k < clips.size(); ++k) {
        const FeatureMatrix& f = clips[k].features;
        const std::vector<int> starts = pooled(m) ? std::vector<int>{0} : window_starts(f.cols, in.time, hop);
        if (m.normalisation.speech_range_db > 0.0) frame_levels(f, m.normalisation.level_rows, levels);
        const std::vector<float> weights =
            pooled(m) ? std::vector<float>{1.0f} : weigh_windows(levels, starts, in.time, m.normalisation).weights;
        for (std::size_t s = 0; s < starts.size(); ++s) {
            if (weights[s] <= 0.0f) continue;
            const std::size_t at = w.data.size();
            w.data.resize(at + w.size);
            const std::span<float> out(w.data.data() + at, w.size);
            if (pooled(m)) std::copy(f.values.begin(), f.values.end(), out.begin());
            else gather_window(f, levels, starts[s], in.time, m.normalisation, out, kept);  // as inference cuts it
            w.clip.push_back(static_cast<int>(k));
            w.weight.push_back(weights[s]);
        }
    }
    return w;
}

std::vector<float> normalised(const Model& m, const Windows& w, const Normalisation& n) {
    std::vector<float> out = w.data;
    const nn::Shape in = m.network.input_shape();
    for (std::size_t at = 0; at < out.size(); at += w.size)
        normalise_input(std::span(out).subspan(at, w.size), in.channels, in.time, pooled(m), n);
    return out;
}

// The speaker's own statistics in place of the training set's, over all their windows.
Normalisation normalisation_of(const Model& m, const Windows& w) {
    Normalisation centred_only = m.normalisation;  // the window's own steps, without the global statistics
    centred_only.mean.clear();
    centred_only.std.clear();
    const std::vector<float> x = normalised(m, w, centred_only);
    SpeakerStatistics stats(m);
    for (std::size_t at = 0; at < x.size(); at += w.size) stats.add_centred(std::span(x).subspan(at, w.size));
    return stats.normalisation();
}

// Where the adapted head begins: the method's number of trailing dense layers, or as many
// as the network has (a net with one dense layer adapts that one under "head2").
std::size_t head_start(const nn::Network& net, const Method& method) {
    const auto& layers = net.layers();
    int found = 0;
    std::size_t start = layers.size();
    for (std::size_t i = layers.size(); i-- > 0 && found < method.dense;)
        if (std::string(layers[i]->type()) == "dense") {
            start = i;
            ++found;
        }
    if (found == 0) throw ModelError("adaptation: the network has no dense layer to adapt; use --method norm");
    for (std::size_t j = start; j < layers.size(); ++j)
        if (std::string(layers[j]->type()) == "batchnorm")
            throw ModelError("adaptation: layer '" + layers[j]->name +
                             "' is a batchnorm among the adapted dense layers; use --method norm+head or norm");
    return start;
}

nn::Network sub_network(const nn::Network& net, std::size_t from, std::size_t to, nn::Shape input) {
    std::vector<std::unique_ptr<nn::Layer>> layers;
    for (std::size_t i = from; i < to; ++i) layers.push_back(net.layers()[i]->clone());
    return nn::Network(input, std::move(layers));
}

// The body's outputs (the head's inputs) for every window.
std::vector<float> embed(nn::Network& body, std::span<const float> inputs, std::size_t input_size) {
    std::vector<float> out;
    constexpr std::size_t batch = 32;
    const std::size_t n = inputs.size() / input_size;
    for (std::size_t at = 0; at < n; at += batch) {
        const std::size_t count = std::min(batch, n - at);
        const nn::Batch& b = body.forward(inputs.subspan(at * input_size, count * input_size), static_cast<int>(count), {});
        out.insert(out.end(), b.data.begin(), b.data.begin() + static_cast<std::ptrdiff_t>(count * b.sample_size()));
    }
    return out;
}

struct Embedded {
    std::vector<float> values;  // [windows][dims]
    std::size_t dims = 0;
    std::vector<int> clip;      // per window
    std::vector<float> weight;  // per window, as Windows
};

std::vector<nn::Param*> adapted_params(nn::Network& head, const Method& method) {
    std::vector<nn::Param*> params;
    if (method.bias_only) {
        auto* dense = dynamic_cast<nn::Dense*>(head.layers().front().get());
        if (!dense || !dense->bias) throw ModelError("adaptation: the last dense layer has no bias; use --method head");
        params.push_back(&*dense->bias);
    } else {
        params = head.parameters();
    }
    return params;
}

// Full-batch fine-tuning of the head on the windows of the clips marked in `use`: softmax
// over the labels those clips cover, each covered label weighing the same, weights pulled
// toward the base's.
void fit_head(nn::Network& head, const Method& method, const Embedded& e, std::span<const AdaptClip> clips,
              const std::vector<bool>& use, int classes, const AdaptOptions& o) {
    std::vector<float> inputs, weights;
    std::vector<int> labels;
    std::vector<double> per_class(static_cast<std::size_t>(classes), 0.0);
    double total = 0.0;
    for (std::size_t w = 0; w < e.clip.size(); ++w) {
        const auto k = static_cast<std::size_t>(e.clip[w]);
        if (!use[k]) continue;
        inputs.insert(inputs.end(), e.values.begin() + static_cast<std::ptrdiff_t>(w * e.dims),
                      e.values.begin() + static_cast<std::ptrdiff_t>((w + 1) * e.dims));
        labels.push_back(clips[k].label);
        weights.push_back(e.weight[w]);
        per_class[static_cast<std::size_t>(clips[k].label)] += e.weight[w];
        total += e.weight[w];
    }
    nn::LossConfig loss;
    loss.class_weights.assign(static_cast<std::size_t>(classes), 0.0f);
    int active = 0;
    for (int c = 0; c < classes; ++c) active += per_class[static_cast<std::size_t>(c)] > 0.0;
    if (active < 2) return;  // one label: nothing to tell apart, the head stays the base's
    // Every clip may take only the covered labels (loss.h), so the absent ones keep the base's weights.
    std::vector<std::uint8_t> allowed;
    for (std::size_t k = 0; k < labels.size(); ++k)
        for (int c = 0; c < classes; ++c) allowed.push_back(per_class[static_cast<std::size_t>(c)] > 0.0 ? 1 : 0);
    for (int c = 0; c < classes; ++c) {
        const auto i = static_cast<std::size_t>(c);
        if (per_class[i] > 0.0) loss.class_weights[i] = static_cast<float>(total / (active * per_class[i]));
    }
    // Each window's gradient scaled by its weight, relative to the mean weight: a window
    // counts in the fit as much as in its clip's probabilities at inference.
    for (float& w : weights) w = static_cast<float>(w * static_cast<double>(weights.size()) / total);
    std::vector<nn::Param*> params = adapted_params(head, method);
    std::vector<std::vector<float>> anchor;
    for (const nn::Param* p : params) anchor.push_back(p->value);
    nn::Optimizer optimizer(nn::OptimizerConfig{}, params);
    nn::Batch d_logits;
    const int n = static_cast<int>(labels.size());
    for (int step = 0; step < o.steps; ++step) {
        const nn::Context ctx{nn::Mode::training, nullptr, nn::mix64(o.seed ^ nn::mix64(static_cast<std::uint64_t>(step)))};
        const nn::Batch& logits = head.forward(inputs, n, ctx);
        nn::softmax_cross_entropy(logits, labels, loss, d_logits, allowed);
        for (int i = 0; i < n; ++i)
            for (std::size_t c = 0; c < d_logits.sample_size(); ++c) d_logits.sample(i)[c] *= weights[static_cast<std::size_t>(i)];
        head.backward(d_logits, ctx);
        for (std::size_t p = 0; p < params.size(); ++p)
            for (std::size_t i = 0; i < params[p]->size(); ++i)
                params[p]->grad[i] += o.anchor * (params[p]->value[i] - anchor[p][i]);
        optimizer.step(o.learning_rate);
    }
}

// Clip k's probabilities: its windows' mean weighted as inference weighs them.
std::vector<double> clip_probabilities(nn::Network& head, const Embedded& e, int clip, int classes) {
    std::vector<double> mean(static_cast<std::size_t>(classes), 0.0);
    double total = 0.0;
    for (std::size_t w = 0; w < e.clip.size(); ++w) {
        if (e.clip[w] != clip) continue;
        const nn::Batch& z = head.forward(std::span(e.values).subspan(w * e.dims, e.dims), 1, {});
        std::vector<float> p(z.data.begin(), z.data.begin() + classes);
        nn::softmax_inplace(p.data(), classes);
        for (int c = 0; c < classes; ++c) mean[static_cast<std::size_t>(c)] += e.weight[w] * p[static_cast<std::size_t>(c)];
        total += e.weight[w];
    }
    for (double& p : mean) p /= total;
    return mean;
}

// log p(true label) with the probabilities renormalised over the labels the clips cover
// (the adapted head competes only among those), floored so one confident miss cannot
// outweigh every other clip.
double covered_log_likelihood(const std::vector<double>& p, int label, const std::vector<bool>& covered) {
    double sum = 0.0;
    for (std::size_t c = 0; c < p.size(); ++c)
        if (covered[c]) sum += p[c];
    const double q = sum > 0.0 ? p[static_cast<std::size_t>(label)] / sum : 0.0;
    return std::log(std::max(q, 1e-4));
}

// Unweighted average recall over the labels the clips cover.
double covered_uar(std::span<const AdaptClip> clips, const std::vector<int>& predicted, int classes) {
    std::vector<double> hit(static_cast<std::size_t>(classes), 0.0), total(static_cast<std::size_t>(classes), 0.0);
    for (std::size_t k = 0; k < clips.size(); ++k) {
        total[static_cast<std::size_t>(clips[k].label)] += 1.0;
        hit[static_cast<std::size_t>(clips[k].label)] += predicted[k] == clips[k].label;
    }
    double sum = 0.0;
    int covered = 0;
    for (int c = 0; c < classes; ++c)
        if (total[static_cast<std::size_t>(c)] > 0.0) {
            sum += hit[static_cast<std::size_t>(c)] / total[static_cast<std::size_t>(c)];
            ++covered;
        }
    return covered ? sum / covered : 0.0;
}

Embedded embed_windows(const Model& m, const Windows& w, const Normalisation& n, std::size_t split) {
    nn::Network body = sub_network(m.network, 0, split, m.network.input_shape());
    Embedded e;
    e.values = embed(body, normalised(m, w, n), w.size);
    e.dims = e.values.size() / w.clip.size();
    e.clip = w.clip;
    e.weight = w.weight;
    return e;
}

std::vector<std::pair<std::string, int>> clips_per_label(const Model& m, std::span<const AdaptClip> clips) {
    std::vector<std::pair<std::string, int>> out;
    for (std::size_t c = 0; c < m.labels.size(); ++c) {
        const auto n = std::count_if(clips.begin(), clips.end(), [&](const AdaptClip& a) { return a.label == static_cast<int>(c); });
        if (n > 0) out.emplace_back(m.labels[c], static_cast<int>(n));
    }
    return out;
}

using Fitter = std::function<void(nn::Network& head, const std::vector<bool>& use)>;

// Every tensor of `out` set to from + strength * (to - from); the three share one layout.
void interpolate_layers(nn::Network& out, const nn::Network& from, const nn::Network& to, double strength) {
    auto& layers = out.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto dst = layers[i]->tensors(), a = from.layers()[i]->tensors(), b = to.layers()[i]->tensors();
        for (std::size_t p = 0; p < dst.size(); ++p)
            for (std::size_t k = 0; k < dst[p]->value.size(); ++k) {
                const double x = a[p]->value[k], y = b[p]->value[k];
                dst[p]->value[k] = strength >= 1.0 ? b[p]->value[k] : static_cast<float>(x + strength * (y - x));
            }
        layers[i]->invalidate();
    }
}

Normalisation interpolate(const Normalisation& from, const Normalisation& to, double strength) {
    Normalisation n = strength >= 1.0 ? to : from;
    if (strength <= 0.0 || strength >= 1.0) return n;
    for (std::size_t i = 0; i < n.mean.size(); ++i) {
        n.mean[i] = static_cast<float>(from.mean[i] + strength * (static_cast<double>(to.mean[i]) - from.mean[i]));
        n.std[i] = static_cast<float>(from.std[i] + strength * (static_cast<double>(to.std[i]) - from.std[i]));
    }
    return n;
}

void check_strengths(const std::vector<double>& strengths) {
    bool ok = !strengths.empty();
    for (std::size_t i = 0; i < strengths.size(); ++i)
        ok = ok && strengths[i] >= 0.0 && strengths[i] <= 1.0 && (i == 0 || strengths[i] > strengths[i - 1]);
    if (!ok) throw std::invalid_argument("adaptation strengths must be ascending numbers in [0, 1], at least one");
}

// The strongest strength leave-one-out finds no worse than the base; 0 (the base) when it
// finds every one worse. Not the likeliest one: each leave-one-out fit lacks one of the
// person's few clips of its label (half of them at two per label), so it judges adaptation
// on less than the final fit has, and the likeliest strength sits below what serves best
// (measured in docs/ADAPTATION.md).
double chosen_strength(const std::vector<double>& strengths, const std::vector<double>& log_likelihoods,
                       double base_log_likelihood) {
    for (std::size_t j = strengths.size(); j-- > 0;)
        if (log_likelihoods[j] >= base_log_likelihood) return strengths[j];
    return 0.0;
}

// What leave-one-out compares: the base, and the adapted model at each strength.
struct Candidates {
    const nn::Network& base_head;
    const Embedded& base_in;            // the windows under the base's normalisation
    const Embedded& adapted_in;         // ... under the adapted one
    std::vector<Embedded> strength_in;  // ... under each strength's
};

// Each clip predicted by the base and by a head fitted without it, at each strength: the
// base's and the full adaptation's predictions into result, with their UARs, and each
// strength's mean log-likelihood over the covered labels.
void leave_one_out(const Candidates& cand, std::span<const AdaptClip> clips, int classes, const Fitter& fit,
                   const AdaptOptions& o, int fits, AdaptResult& result) {
    nn::Network base_copy = cand.base_head.clone(), blended = cand.base_head.clone();
    std::vector<bool> covered(static_cast<std::size_t>(classes), false);
    for (const AdaptClip& c : clips) covered[static_cast<std::size_t>(c.label)] = true;
    const std::vector<double>& strengths = o.strengths;
    std::vector<double> ll(strengths.size(), 0.0);
    double base_ll = 0.0, adapted_ll = 0.0;
    for (std::size_t k = 0; k < clips.size(); ++k) {
        const int clip = static_cast<int>(k);
        const std::vector<double> before = clip_probabilities(base_copy, cand.base_in, clip, classes);
        nn::Network head = cand.base_head.clone();
        std::vector<bool> use(clips.size(), true);
        use[k] = false;
        fit(head, use);
        for (std::size_t j = 0; j < strengths.size(); ++j) {
            interpolate_layers(blended, cand.base_head, head, strengths[j]);
            ll[j] += covered_log_likelihood(clip_probabilities(blended, cand.strength_in[j], clip, classes),
                                            clips[k].label, covered);
        }
        const std::vector<double> after = clip_probabilities(head, cand.adapted_in, clip, classes);
        result.base_predicted.push_back(static_cast<int>(nn::argmax(before)));
        result.adapted_predicted.push_back(static_cast<int>(nn::argmax(after)));
        base_ll += covered_log_likelihood(before, clips[k].label, covered);
        adapted_ll += covered_log_likelihood(after, clips[k].label, covered);
        if (o.on_progress) o.on_progress(clip + 1, fits);
    }
    const auto n = static_cast<double>(clips.size());
    result.base_uar = covered_uar(clips, result.base_predicted, classes);
    result.adapted_uar = covered_uar(clips, result.adapted_predicted, classes);
    result.base_log_likelihood = base_ll / n;
    result.adapted_log_likelihood = adapted_ll / n;
    for (double& x : ll) x /= n;
    result.strength_log_likelihoods = ll;
    result.strength = chosen_strength(strengths, ll, result.base_log_likelihood);
    result.better_or_equal = result.strength > 0.0;
}

}  // namespace

Normalisation speaker_normalisation(const Model& base, std::span<const FeatureMatrix> clips) {
    std::vector<AdaptClip> unlabelled;
    for (const FeatureMatrix& f : clips) unlabelled.push_back({f, 0});
    if (unlabelled.empty()) return base.normalisation;
    return normalisation_of(base, cut_windows(base, unlabelled));
}

Model at_strength(const Model& base, const Model& adapted, double strength) {
    if (!adapted.adaptation || adapted.adaptation->base_checksum != weights_checksum(base))
        throw std::invalid_argument("at_strength: the second model is not adapted from the first");
    if (!(strength >= 0.0 && strength <= 1.0)) throw std::invalid_argument("adaptation strength must be in [0, 1]");
    Model m{adapted.labels, adapted.features, interpolate(base.normalisation, adapted.normalisation, strength),
            adapted.analysis, adapted.network.clone(), adapted.training, adapted.selftest, adapted.adaptation};
    interpolate_layers(m.network, base.network, adapted.network, strength);
    m.adaptation->strength = strength;
    m.selftest = compute_selftest(m);
    return m;
}

AdaptCheck check_adapt_clips(const Model& base, std::span<const AdaptClip> clips) {
    AdaptCheck check;
    const auto classes = static_cast<int>(base.labels.size());
    std::vector<int> count(base.labels.size(), 0);
    for (std::size_t k = 0; k < clips.size(); ++k) {
        if (clips[k].label < 0 || clips[k].label >= classes) {
            check.errors.push_back("clip " + std::to_string(k + 1) + " has no label of this model (" +
                                   std::to_string(classes) + " labels)");
            continue;
        }
        if (clips[k].features.cols <= 0) check.errors.push_back("clip " + std::to_string(k + 1) + " has no frames: record a longer take");
        ++count[static_cast<std::size_t>(clips[k].label)];
    }
    const auto covered = std::count_if(count.begin(), count.end(), [](int n) { return n > 0; });
    if (clips.size() < 4)
        check.errors.push_back(std::to_string(clips.size()) + " clips are too few to adapt on: give at least 4, "
                               "two or more for each of at least two labels");
    if (covered < 2)
        check.errors.push_back("the clips cover " + std::to_string(covered) +
                               " label(s): adaptation needs at least two different labels to tell apart");
    for (std::size_t c = 0; c < count.size(); ++c)
        if (count[c] == 1)
            check.warnings.push_back("only one clip of \"" + base.labels[c] +
                                     "\": leave-one-out cannot check it; give two or more");
    if (covered >= 2 && covered < classes)
        check.warnings.push_back("the clips cover " + std::to_string(covered) + " of the model's " + std::to_string(classes) +
                                 " labels: only those are adjusted against each other; the others keep the base model's scores");
    return check;
}

AdaptResult adapt_model(const Model& base, std::span<const AdaptClip> clips, const AdaptOptions& o) {
    const Method method = parse_method(o.method);
    const AdaptCheck check = check_adapt_clips(base, clips);
    if (!check.errors.empty()) {
        std::string text = "cannot adapt: ";
        for (std::size_t i = 0; i < check.errors.size(); ++i) text += (i ? "; " : "") + check.errors[i];
        throw std::invalid_argument(text);
    }
    const int classes = static_cast<int>(base.labels.size());
    // A norm-only adaptation fits nothing: its "head" is the last dense layer as it is.
    const std::size_t cut = head_start(base.network, method.dense > 0 ? method : Method{false, 1, false});
    const Windows windows = cut_windows(base, clips);
    const Normalisation norm = method.normalisation ? normalisation_of(base, windows) : base.normalisation;
    const Embedded adapted_in = embed_windows(base, windows, norm, cut);
    const nn::Network base_head =
        sub_network(base.network, cut, base.network.layers().size(), {static_cast<int>(adapted_in.dims), 1});
    const Fitter fit = [&](nn::Network& head, const std::vector<bool>& use) {
        if (method.dense > 0) fit_head(head, method, adapted_in, clips, use, classes, o);
    };

    AdaptResult result;
    result.warnings = check.warnings;
    const int fits = (o.leave_one_out ? static_cast<int>(clips.size()) : 0) + 1;
    if (o.leave_one_out) {
        check_strengths(o.strengths);
        const Embedded base_in = method.normalisation ? embed_windows(base, windows, base.normalisation, cut) : adapted_in;
        Candidates cand{base_head, base_in, adapted_in, {}};
        for (double s : o.strengths)
            cand.strength_in.push_back(!method.normalisation || s >= 1.0 ? adapted_in
                                       : s <= 0.0                        ? base_in
                                           : embed_windows(base, windows, interpolate(base.normalisation, norm, s), cut));
        leave_one_out(cand, clips, classes, fit, o, fits, result);
    }
    nn::Network head = base_head.clone();
    fit(head, std::vector<bool>(clips.size(), true));
    if (o.on_progress) o.on_progress(fits, fits);

    result.model = {base.labels, base.features, norm, base.analysis, base.network.clone(), base.training, base.selftest, {}};
    Adaptation a;
    a.base_name = o.base_name;
    a.base_checksum = weights_checksum(base);
    a.method = o.method;
    if (method.normalisation) a.changed.push_back("normalisation");
    auto& layers = result.model.network.layers();
    for (std::size_t i = cut; i < layers.size(); ++i) {
        auto dst = layers[i]->tensors();
        auto src = head.layers()[i - cut]->tensors();
        for (std::size_t p = 0; p < dst.size(); ++p) dst[p]->value = src[p]->value;
        if (method.dense > 0 && !dst.empty() && (!method.bias_only || i == cut)) a.changed.push_back(layers[i]->name);
        layers[i]->invalidate();
    }
    a.clips_per_label = clips_per_label(base, clips);
    a.base_uar = result.base_uar;
    a.adapted_uar = result.adapted_uar;
    if (base.adaptation) a.base_name += " (itself adapted from " + base.adaptation->base_name + ")";
    result.model.adaptation = a;
    result.model.selftest = compute_selftest(result.model);
    return result;
}

}  // namespace ser
