#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "training/corpus_sampling.h"

using namespace ser;

namespace {

std::vector<CorpusItem> corpus_of(Corpus corpus, int n) {
    std::vector<CorpusItem> items(static_cast<std::size_t>(n));
    for (auto& item : items) item.corpus = corpus;
    return items;
}

}  // namespace

TEST_CASE("corpus quotas follow n^power and fill the epoch exactly") {
    const std::vector<std::size_t> sizes = {4481, 1440, 2800, 2474};
    const std::size_t total = std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
    CHECK(corpus_quotas(sizes, 1.0, total) == sizes);
    for (double power : {0.0, 0.3, 0.5, 0.8}) {
        const auto quota = corpus_quotas(sizes, power, total);
        CHECK(std::accumulate(quota.begin(), quota.end(), std::size_t{0}) == total);
        double norm = 0.0;
        for (std::size_t n : sizes) norm += std::pow(static_cast<double>(n), power);
        for (std::size_t c = 0; c < sizes.size(); ++c) {
            const double expected = static_cast<double>(total) * std::pow(static_cast<double>(sizes[c]), power) / norm;
            CHECK(std::abs(static_cast<double>(quota[c]) - expected) < 1.0);
        }
    }
    CHECK(corpus_quotas(std::vector<std::size_t>{3, 3, 3}, 0.5, 10) == std::vector<std::size_t>{4, 3, 3});
}

TEST_CASE("a corpus-balanced epoch draws each corpus its quota, deterministically") {
    std::vector<CorpusItem> items = corpus_of(Corpus::nemo, 300);
    for (auto [corpus, n] : {std::pair{Corpus::ravdess, 60}, std::pair{Corpus::ased, 20}}) {
        const auto more = corpus_of(corpus, n);
        items.insert(items.end(), more.begin(), more.end());
    }
    std::vector<std::size_t> train(items.size());
    std::iota(train.begin(), train.end(), 0);
    const double power = 0.5;
    // Corpora in enum order: ravdess, nemo, ased.
    const auto quota = corpus_quotas(std::vector<std::size_t>{60, 300, 20}, power, train.size());

    nn::Rng a(42), b(42), c(43);
    const auto order = corpus_balanced_order(items, train, power, a);
    CHECK(order == corpus_balanced_order(items, train, power, b));
    CHECK(order != corpus_balanced_order(items, train, power, c));
    REQUIRE(order.size() == train.size());

    std::map<Corpus, std::size_t> drawn;
    std::map<std::size_t, int> times;
    for (std::size_t i : order) {
        ++drawn[items[i].corpus];
        ++times[i];
    }
    CHECK(drawn[Corpus::ravdess] == quota[0]);
    CHECK(drawn[Corpus::nemo] == quota[1]);
    CHECK(drawn[Corpus::ased] == quota[2]);
    CHECK(quota[1] < 300);  // the big corpus gives up draws...
    CHECK(quota[2] > 20);   // ...the small one gets more than its clips
    for (const auto& [i, count] : times) {
        const std::size_t n = items[i].corpus == Corpus::nemo ? 300 : items[i].corpus == Corpus::ravdess ? 60 : 20;
        const std::size_t q = drawn[items[i].corpus];
        // Drawn in full passes: every clip of a corpus comes floor(q/n) or ceil(q/n) times.
        CHECK(static_cast<std::size_t>(count) >= q / n);
        CHECK(static_cast<std::size_t>(count) <= (q + n - 1) / n);
    }
}
