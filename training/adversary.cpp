#include "training/adversary.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "model/network_json.h"

namespace ser {

AdversaryDomains adversary_domains(const TrainingConfig::Adversary& config, const ClipSet& clips,
                                   std::span<const std::size_t> train) {
    auto domain_name = [&](std::size_t i) {
        const CorpusItem& item = clips.items[i];
        return config.target == "speaker" ? item.speaker : std::string(corpus_name(item.corpus));
    };
    std::map<std::string, int> index;
    for (std::size_t i : train) index.emplace(domain_name(i), 0);
    if (index.size() < 2)
        throw std::invalid_argument("training.adversary: the training side has one " + config.target +
                                    " only, nothing to tell apart; train on several or leave the key out");
    AdversaryDomains d;
    for (auto& [name, k] : index) k = d.count++;
    d.of_item.assign(clips.items.size(), -1);
    for (std::size_t i : train) d.of_item[i] = index.at(domain_name(i));

    const std::size_t labels = clips.labels.size();
    std::vector<std::uint8_t> recorded(labels * static_cast<std::size_t>(d.count), 0);
    for (std::size_t i : train)
        recorded[static_cast<std::size_t>(clips.label[i]) * d.count + static_cast<std::size_t>(d.of_item[i])] = 1;
    d.confusion.assign(recorded.size(), 0.0f);
    for (std::size_t y = 0; y < labels; ++y) {
        const auto row = std::span(recorded).subspan(y * d.count, d.count);
        const auto having = std::count(row.begin(), row.end(), std::uint8_t{1});
        for (int k = 0; k < d.count; ++k)
            if (row[k]) d.confusion[y * d.count + k] = 1.0f / static_cast<float>(having);
    }
    return d;
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
