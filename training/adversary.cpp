#include "training/adversary.h"

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "model/network_json.h"

namespace ser {

namespace {

// Where one corpus recorded a label the others did not (RAVDESS's calm), the corpus is part
// of what that label looks like: features that hide the corpus hide the label (measured:
// calm recall 0.0 on the RAVDESS actor folds, docs/MODEL_EXPERIMENTS.md).
void refuse_differing_label_sets(const ClipSet& clips, std::span<const std::size_t> train) {
    std::map<std::string, std::set<int>> labels_of;
    for (std::size_t i : train) labels_of[std::string(corpus_name(clips.items[i].corpus))].insert(clips.label[i]);
    const auto& [first_name, first_labels] = *labels_of.begin();
    for (const auto& [name, labels] : labels_of) {
        if (labels == first_labels) continue;
        throw std::invalid_argument("training.adversary: the training corpora record different labels (" + first_name +
                                    " and " + name + " differ); hiding the corpus would hide the labels only some of "
                                    "them have. Train on the labels they share (ser eval --labels ...) or leave the key out");
    }
}

}  // namespace

std::vector<int> adversary_domains(const TrainingConfig::Adversary& config, const ClipSet& clips,
                                   std::span<const std::size_t> train, int& domains) {
    auto domain_name = [&](std::size_t i) {
        const CorpusItem& item = clips.items[i];
        return config.target == "speaker" ? item.speaker : std::string(corpus_name(item.corpus));
    };
    std::map<std::string, int> index;
    for (std::size_t i : train) index.emplace(domain_name(i), 0);
    if (index.size() < 2)
        throw std::invalid_argument("training.adversary: the training side has one " + config.target +
                                    " only, nothing to tell apart; train on several or leave the key out");
    if (config.target == "corpus") refuse_differing_label_sets(clips, train);
    int next = 0;
    for (auto& [name, k] : index) k = next++;
    domains = next;
    std::vector<int> of_item(clips.items.size(), -1);
    for (std::size_t i : train) of_item[i] = index.at(domain_name(i));
    return of_item;
}

nn::Adversary make_adversary(const TrainingConfig::Adversary& config, const nn::Network& network, int domains,
                             std::uint64_t seed) {
    const auto& layers = network.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string type = layers[i]->type();
        if (type != "stats_pool" && type != "attention_pool" && !type.starts_with("global_")) continue;
        const nlohmann::json head = {
            {"input", {{"channels", layers[i]->out_shape.channels}, {"time", 1}}},
            {"layers", {{{"type", "dense"}, {"units", config.units}}, {{"type", "relu"}}, {{"type", "dense"}, {"units", domains}}}}};
        nn::Adversary adversary{network_from_json(head), i};
        adversary.head.init(seed);
        return adversary;
    }
    throw std::invalid_argument("training.adversary: the network has no global pooling layer (stats_pool, "
                                "attention_pool, global_avgpool, global_maxpool) for the adversary to read");
}

float adversary_weight(const TrainingConfig::Adversary& config, double progress) {
    return static_cast<float>(config.weight * (2.0 / (1.0 + std::exp(-10.0 * progress)) - 1.0));
}

}  // namespace ser
