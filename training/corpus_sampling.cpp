#include "training/corpus_sampling.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace ser {

std::vector<std::size_t> corpus_quotas(std::span<const std::size_t> corpus_sizes, double power, std::size_t total) {
    std::vector<double> weight;
    for (std::size_t n : corpus_sizes) weight.push_back(n == 0 ? 0.0 : std::pow(static_cast<double>(n), power));
    const double sum = std::accumulate(weight.begin(), weight.end(), 0.0);
    std::vector<std::size_t> quota(corpus_sizes.size(), 0);
    if (sum <= 0.0) return quota;
    std::vector<double> remainder(corpus_sizes.size());
    std::size_t given = 0;
    for (std::size_t c = 0; c < quota.size(); ++c) {
        const double exact = static_cast<double>(total) * weight[c] / sum;
        quota[c] = static_cast<std::size_t>(std::floor(exact));
        remainder[c] = exact - static_cast<double>(quota[c]);
        given += quota[c];
    }
    std::vector<std::size_t> order(quota.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t r = 0; given < total; ++r, ++given) ++quota[order[r % order.size()]];
    return quota;
}

std::vector<std::size_t> corpus_balanced_order(std::span<const CorpusItem> items, std::span<const std::size_t> train,
                                               double power, nn::Rng& rng) {
    std::map<Corpus, std::vector<std::size_t>> by_corpus;
    for (std::size_t i : train) by_corpus[items[i].corpus].push_back(i);
    std::vector<std::size_t> sizes;
    for (const auto& [corpus, members] : by_corpus) sizes.push_back(members.size());
    const std::vector<std::size_t> quota = corpus_quotas(sizes, power, train.size());

    std::vector<std::size_t> order;
    order.reserve(train.size());
    std::size_t c = 0;
    for (auto& [corpus, members] : by_corpus) {
        for (std::size_t drawn = 0; drawn < quota[c];) {
            rng.shuffle(std::span<std::size_t>(members));
            const std::size_t take = std::min(members.size(), quota[c] - drawn);
            order.insert(order.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(take));
            drawn += take;
        }
        ++c;
    }
    rng.shuffle(std::span<std::size_t>(order));
    return order;
}

}  // namespace ser
