#include "app/state/model_card.h"

#include <cmath>
#include <cstdio>

namespace ser::app {

namespace {

using nlohmann::json;

const json* field(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.4g", value.get<double>());
        return text;
    }
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    return {};
}

bool finite_number(const json* value) { return value && value->is_number() && std::isfinite(value->get<double>()); }

// "0.612 ± 0.041" from a mean and an optional spread.
std::string metric_text(const json& object, const char* key, const std::string& sd_key) {
    const json* mean = field(object, key);
    if (!finite_number(mean)) return {};
    char text[64];
    const json* sd = field(object, sd_key.c_str());
    if (finite_number(sd)) std::snprintf(text, sizeof text, "%.3f \u00b1 %.3f", mean->get<double>(), sd->get<double>());
    else std::snprintf(text, sizeof text, "%.3f", mean->get<double>());
    return text;
}

std::string corpus_line(const json& corpus) {
    if (corpus.is_string()) return corpus.get<std::string>();
    const json* name = field(corpus, "corpus");
    if (!name || !name->is_string()) return {};
    std::string line = name->get<std::string>();
    if (const json* language = field(corpus, "language"); language && language->is_string())
        line += " (" + language->get<std::string>() + ")";
    if (const json* files = field(corpus, "files"); files && files->is_number_integer())
        line += ": " + std::to_string(files->get<long long>()) + " files";
    if (const json* speakers = field(corpus, "speakers"); speakers && speakers->is_number_integer())
        line += ", " + std::to_string(speakers->get<long long>()) + " speakers";
    return line;
}

std::vector<std::string> corpora(const json& training) {
    const json* list = nullptr;
    if (const json* data = field(training, "data")) list = field(*data, "corpora");
    if (!list) list = field(training, "corpora");
    std::vector<std::string> lines;
    if (list && list->is_array()) {
        for (const json& c : *list)
            if (std::string line = corpus_line(c); !line.empty()) lines.push_back(std::move(line));
    }
    return lines;
}

// A square matrix of finite, non-negative numbers whose size matches `labels`; else empty.
std::vector<std::vector<double>> confusion_of(const json& metrics, std::size_t classes) {
    const json* rows = field(metrics, "confusion");
    if (!rows || !rows->is_array() || rows->size() != classes) return {};
    std::vector<std::vector<double>> matrix;
    for (const json& row : *rows) {
        if (!row.is_array() || row.size() != classes) return {};
        std::vector<double> values;
        for (const json& v : row) {
            if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0.0) return {};
            values.push_back(v.get<double>());
        }
        matrix.push_back(std::move(values));
    }
    return matrix;
}

std::string input_text(const Model& model) {
    const FeatureConfig& f = model.features;
    std::string features;
    for (const std::string& name : f.input.features) features += (features.empty() ? "" : ", ") + name;
    char text[320];
    const int n = std::snprintf(text, sizeof text, "%s%s at %d Hz; windows of %.2f s every %.2f s", features.c_str(),
                                f.input.pooling == Pooling::none ? "" : " (time means)", f.sample_rate,
                                model.analysis.window_s, model.analysis.hop_s);
    if (model.analysis.edge_s > 0.0 && n > 0 && static_cast<std::size_t>(n) < sizeof text)
        std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), ", reaching %.2f s past a clip's edges",
                      model.analysis.edge_s);
    return text;
}

}  // namespace

ModelCard model_card(const Model& model) {
    ModelCard card;
    card.labels = model.labels;
    card.parameters = model.network.parameter_count();
    card.input = input_text(model);
    const json& t = model.training;
    card.training_data = corpora(t);

    if (const json* data = field(t, "data")) {
        if (const json* per_label = field(*data, "files_per_label"); per_label && per_label->is_object()) {
            for (const auto& [label, count] : per_label->items()) {
                if (!count.is_number_integer()) continue;
                card.files_per_label += (card.files_per_label.empty() ? "" : ", ") + label + " " + text_of(count);
            }
        }
    }

    if (const json* metrics = field(t, "metrics"); metrics && metrics->is_object()) {
        for (const char* key : {"protocol_description", "protocol"}) {
            if (const json* p = field(*metrics, key); p && p->is_string()) {
                card.protocol = p->get<std::string>();
                break;
            }
        }
        for (const auto& [key, name] : {std::pair{"accuracy", "Accuracy"}, std::pair{"uar", "UAR (unweighted average recall)"},
                                        std::pair{"macro_f1", "Macro F1"}}) {
            if (std::string value = metric_text(*metrics, key, std::string(key) + "_sd"); !value.empty())
                card.metrics.emplace_back(name, value);
        }
        if (const json* caveat = field(*metrics, "caveat"); caveat && caveat->is_string()) card.caveat = caveat->get<std::string>();
        std::vector<std::string> order = model.labels;
        if (const json* labels = field(*metrics, "labels"); labels && labels->is_array()) {
            order.clear();
            for (const json& l : *labels) order.push_back(l.is_string() ? l.get<std::string>() : "?");
        }
        card.confusion = confusion_of(*metrics, order.size());
        if (!card.confusion.empty()) card.confusion_labels = order;
    }
    if (const json* validation = field(t, "validation"); validation && validation->is_object()) {
        for (const auto& [key, name] : {std::pair{"accuracy", "Validation accuracy"}, std::pair{"uar", "Validation UAR"}}) {
            if (std::string value = metric_text(*validation, key, ""); !value.empty()) card.metrics.emplace_back(name, value);
        }
    }
    if (card.protocol.empty() && !card.metrics.empty()) card.protocol = "held-out validation split";

    for (const auto& [key, name] : {std::pair{"date", "Trained"}, std::pair{"ser_version", "ser version"},
                                    std::pair{"source_revision", "Source revision"}, std::pair{"config_file", "Config"},
                                    std::pair{"seed", "Seed"}}) {
        if (const json* v = field(t, key)) {
            if (std::string value = text_of(*v); !value.empty()) card.facts.emplace_back(name, value);
        }
    }
    return card;
}

std::vector<std::vector<double>> row_shares(const std::vector<std::vector<double>>& counts) {
    std::vector<std::vector<double>> shares = counts;
    for (auto& row : shares) {
        double sum = 0.0;
        for (double v : row) sum += v;
        for (double& v : row) v = sum > 0.0 ? v / sum : 0.0;
    }
    return shares;
}

}  // namespace ser::app
