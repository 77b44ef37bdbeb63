#include "training/splits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "nn/rng.h"

namespace ser {

namespace {

// Builds folds from a test-group id per item (-1 never happens: every item has a group).
SplitPlan plan_from_groups(std::span<const CorpusItem> items, const std::vector<int>& group_of_item,
                           const std::vector<std::string>& group_names) {
    SplitPlan plan;
    plan.folds.resize(group_names.size());
    for (std::size_t g = 0; g < group_names.size(); ++g) plan.folds[g].name = group_names[g];
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (std::size_t g = 0; g < plan.folds.size(); ++g)
            (static_cast<int>(g) == group_of_item[i] ? plan.folds[g].test : plan.folds[g].train).push_back(i);
    }
    for (auto& fold : plan.folds) {
        fold.train = without_duplicates_of(items, fold.train, fold.test);
        std::set<std::string> speakers;
        for (std::size_t i : fold.test) speakers.insert(items[i].speaker);
        fold.test_speakers.assign(speakers.begin(), speakers.end());
    }
    return plan;
}

std::map<std::string, Gender> speakers_of(std::span<const CorpusItem> items) {
    std::map<std::string, Gender> speakers;
    for (const auto& item : items) speakers.emplace(item.speaker, item.gender);
    return speakers;
}

void require_items(std::span<const CorpusItem> items, const char* protocol) {
    if (items.empty()) throw std::invalid_argument(std::string(protocol) + ": there are no recordings to split");
}

}  // namespace

SplitPlan speaker_folds(std::span<const CorpusItem> items, int folds) {
    require_items(items, "speaker folds");
    const auto speakers = speakers_of(items);
    if (folds < 2) throw std::invalid_argument("speaker folds need at least 2 folds, not " + std::to_string(folds));
    if (static_cast<std::size_t>(folds) > speakers.size())
        throw std::invalid_argument("cannot make " + std::to_string(folds) + " speaker folds from " +
                                    std::to_string(speakers.size()) + " speakers: use fewer folds or leave-one-speaker-out");

    const std::size_t k = static_cast<std::size_t>(folds);
    std::vector<std::size_t> fold_sizes(k, 0);
    std::map<std::string, int> fold_of_speaker;
    std::map<std::string, Corpus> corpus_of;
    for (const auto& item : items) corpus_of.emplace(item.speaker, item.corpus);
    std::vector<std::pair<Corpus, Gender>> groups;
    for (const auto& [speaker, corpus] : corpus_of)
        for (Gender gender : {Gender::male, Gender::female, Gender::unknown})
            if (std::find(groups.begin(), groups.end(), std::pair{corpus, gender}) == groups.end()) groups.emplace_back(corpus, gender);
    std::sort(groups.begin(), groups.end());
    for (const auto& [corpus, gender] : groups) {
        std::vector<std::string> group;  // std::map keeps them in id order
        for (const auto& [speaker, g] : speakers)
            if (g == gender && corpus_of.at(speaker) == corpus) group.push_back(speaker);
        // Runs of base or base+1 speakers; the +1 runs go to the folds that are smallest so far.
        std::vector<std::size_t> run(k, group.size() / k);
        std::vector<std::size_t> order(k);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fold_sizes[a] < fold_sizes[b]; });
        for (std::size_t r = 0; r < group.size() % k; ++r) ++run[order[r]];
        std::size_t next = 0;
        for (std::size_t f = 0; f < k; ++f) {
            for (std::size_t s = 0; s < run[f]; ++s) fold_of_speaker[group[next++]] = static_cast<int>(f);
            fold_sizes[f] += run[f];
        }
    }

    std::vector<int> group_of_item(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) group_of_item[i] = fold_of_speaker.at(items[i].speaker);
    std::vector<std::string> names(k);
    for (std::size_t f = 0; f < k; ++f) names[f] = "fold " + std::to_string(f + 1);
    SplitPlan plan = plan_from_groups(items, group_of_item, names);
    plan.protocol = "speaker";
    plan.description = std::to_string(k) + " gender-balanced speaker folds";
    return plan;
}

SplitPlan leave_one_speaker_out(std::span<const CorpusItem> items) {
    require_items(items, "leave-one-speaker-out");
    const auto speakers = speakers_of(items);
    if (speakers.size() < 2)
        throw std::invalid_argument("leave-one-speaker-out needs at least 2 speakers; the data has only " +
                                    speakers.begin()->first);
    std::vector<std::string> names;
    std::map<std::string, int> group;
    for (const auto& [speaker, gender] : speakers) {
        group[speaker] = static_cast<int>(names.size());
        names.push_back(speaker);
    }
    std::vector<int> group_of_item(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) group_of_item[i] = group.at(items[i].speaker);
    SplitPlan plan = plan_from_groups(items, group_of_item, names);
    plan.protocol = "loso";
    plan.description = "leave one speaker out (" + std::to_string(names.size()) + " folds)";
    return plan;
}

SplitPlan leave_one_corpus_out(std::span<const CorpusItem> items) {
    require_items(items, "leave-one-corpus-out");
    std::set<Corpus> corpora;
    for (const auto& item : items) corpora.insert(item.corpus);
    if (corpora.size() < 2)
        throw std::invalid_argument("leave-one-corpus-out needs at least 2 corpora; the data is all " +
                                    std::string(corpus_name(*corpora.begin())) + ": add another with --data");
    std::vector<std::string> names;
    std::map<Corpus, int> group;
    for (Corpus corpus : corpora) {
        group[corpus] = static_cast<int>(names.size());
        names.emplace_back(corpus_name(corpus));
    }
    std::vector<int> group_of_item(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) group_of_item[i] = group.at(items[i].corpus);
    SplitPlan plan = plan_from_groups(items, group_of_item, names);
    plan.protocol = "corpus";
    plan.description = "leave one corpus out (" + std::to_string(names.size()) + " folds)";
    return plan;
}

SplitPlan random_split(std::span<const CorpusItem> items, double test_fraction, std::uint64_t seed) {
    require_items(items, "random split");
    if (!(test_fraction > 0.0 && test_fraction < 1.0))
        throw std::invalid_argument("random split: the test fraction must be between 0 and 1, not " +
                                    std::to_string(test_fraction));
    std::map<std::string, std::vector<std::size_t>> by_label;
    for (std::size_t i = 0; i < items.size(); ++i) by_label[items[i].label].push_back(i);
    nn::Rng rng(seed);
    std::vector<bool> in_test(items.size(), false);
    for (auto& [label, indices] : by_label) {
        rng.shuffle(std::span<std::size_t>(indices));
        const auto n_test = static_cast<std::size_t>(std::lround(test_fraction * static_cast<double>(indices.size())));
        for (std::size_t j = 0; j < n_test; ++j) in_test[indices[j]] = true;
    }
    const int test_percent = static_cast<int>(std::lround(test_fraction * 100.0));
    const std::string shares = std::to_string(100 - test_percent) + "/" + std::to_string(test_percent);
    Fold fold;
    fold.name = "random " + shares;
    std::set<std::string> speakers;
    for (std::size_t i = 0; i < items.size(); ++i) {
        (in_test[i] ? fold.test : fold.train).push_back(i);
        if (in_test[i]) speakers.insert(items[i].speaker);
    }
    fold.test_speakers.assign(speakers.begin(), speakers.end());
    fold.train = without_duplicates_of(items, fold.train, fold.test);
    SplitPlan plan;
    plan.folds.push_back(std::move(fold));
    plan.protocol = "random";
    plan.description = "stratified random " + shares + " split of files, seed " + std::to_string(seed);
    plan.speakers_overlap = true;
    plan.caveat = std::string(random_split_caveat);
    return plan;
}

std::vector<std::size_t> without_duplicates_of(std::span<const CorpusItem> items, std::span<const std::size_t> train,
                                               std::span<const std::size_t> held_out) {
    std::set<int> held_groups;
    for (std::size_t i : held_out)
        if (items[i].duplicate_group >= 0) held_groups.insert(items[i].duplicate_group);
    std::vector<std::size_t> kept;
    for (std::size_t i : train)
        if (items[i].duplicate_group < 0 || !held_groups.count(items[i].duplicate_group)) kept.push_back(i);
    return kept;
}

SplitPlan make_split(std::string_view protocol, std::span<const CorpusItem> items, std::uint64_t seed) {
    if (protocol == "speaker") {
        require_items(items, "speaker folds");
        const auto speakers = speakers_of(items).size();
        if (speakers < 2)
            throw std::invalid_argument("speaker folds need at least 2 speakers, the data has 1 (" + items[0].speaker +
                                        "): add a corpus, or ask for --folds random (it will be labelled)");
        return speaker_folds(items, static_cast<int>(std::min<std::size_t>(6, speakers)));
    }
    if (protocol == "loso") return leave_one_speaker_out(items);
    if (protocol == "corpus") return leave_one_corpus_out(items);
    if (protocol == "random") return random_split(items, 0.2, seed);
    throw std::invalid_argument("unknown evaluation protocol '" + std::string(protocol) +
                                "': use speaker, loso, corpus or random");
}

std::vector<std::string> labels_shared_by_corpora(std::span<const CorpusItem> items) {
    std::map<Corpus, std::set<std::string>> labels_of;
    for (const auto& item : items) labels_of[item.corpus].insert(item.label);
    std::vector<std::string> shared;
    for (std::string_view label : canonical_emotions) {
        const bool everywhere = !labels_of.empty() && std::all_of(labels_of.begin(), labels_of.end(), [&](const auto& entry) {
            return entry.second.count(std::string(label)) > 0;
        });
        if (everywhere) shared.emplace_back(label);
    }
    return shared;
}

}  // namespace ser
