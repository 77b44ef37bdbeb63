// A seeded mutation loop over the model loader: whatever the bytes, load_model either
// returns a model or throws ModelError. Nothing else escapes, nothing crashes or hangs.
#include <doctest/doctest.h>

#include "fuzz/fuzz_corpus.h"
#include "model/base64.h"
#include "support/random_model.h"

using namespace ser;
using nlohmann::json;

namespace {

// Byte-level damage: flips, deletions, duplications, insertions, truncation.
std::string mutate_bytes(std::string s, nn::Rng& rng) {
    const int edits = 1 + static_cast<int>(rng.next() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t at = rng.next() % s.size();
        switch (rng.next() % 5) {
            case 0: s[at] = static_cast<char>(rng.next() & 0xff); break;
            case 1: s.erase(at, 1 + rng.next() % 64); break;
            case 2: s.insert(at, s.substr(at, 1 + rng.next() % 32)); break;
            case 3: s.insert(at, 1, "{}[]\",:0-e.9"[rng.next() % 12]); break;
            case 4: s.resize(at); break;
        }
    }
    return s;
}

json random_value(nn::Rng& rng) {
    switch (rng.next() % 9) {
        case 0: return nullptr;
        case 1: return -1;
        case 2: return 0;
        case 3: return 1e300;
        case 4: return 2147483647;
        case 5: return "";
        case 6: return json::array();
        case 7: return json::object();
        default: return rng.uniform(-5.0, 5.0);
    }
}

// Structure-aware damage: replace, delete or retype one value somewhere in the tree.
void mutate_tree(json& j, nn::Rng& rng) {
    json* node = &j;
    for (int depth = 0; depth < 6 && (node->is_object() || node->is_array()) && !node->empty(); ++depth) {
        const std::size_t pick = rng.next() % node->size();
        json* child = node->is_array() ? &(*node)[pick] : &std::next(node->begin(), static_cast<std::ptrdiff_t>(pick)).value();
        if (rng.next() % 3 == 0 || !(child->is_object() || child->is_array())) {
            if (rng.next() % 4 == 0 && node->is_object()) {
                node->erase(std::next(node->begin(), static_cast<std::ptrdiff_t>(pick)).key());
            } else {
                *child = random_value(rng);
            }
            return;
        }
        node = child;
    }
}

void expect_model_error_or_success(const std::string& text, int& loaded) {
    try {
        load_model(text);
        ++loaded;
    } catch (const ModelError&) {
    }  // anything else propagates and fails the test
}

}  // namespace

TEST_CASE("fuzz: byte mutations of a model file") {
    const std::string valid = save_model(test::random_model());
    nn::Rng rng(20261125);
    int loaded = 0;
    for (int i = 0; i < 300; ++i) {
        const std::string text = mutate_bytes(valid, rng);
        CAPTURE(i);
        REQUIRE_NOTHROW(expect_model_error_or_success(text, loaded));
    }
    MESSAGE(loaded << " of 300 byte-mutated files still loaded");
}

TEST_CASE("fuzz: structural mutations of a model file") {
    const json valid = json::parse(save_model(test::random_model()));
    nn::Rng rng(7);
    int loaded = 0;
    for (int i = 0; i < 400; ++i) {
        json j = valid;
        const int edits = 1 + static_cast<int>(rng.next() % 3);
        for (int e = 0; e < edits; ++e) mutate_tree(j, rng);
        CAPTURE(i);
        REQUIRE_NOTHROW(expect_model_error_or_success(j.dump(), loaded));
    }
    MESSAGE(loaded << " of 400 structurally mutated files still loaded");
}

TEST_CASE("fuzz: the libFuzzer corpus (seeds and past findings) loads or fails with ModelError") {
    int loaded = 0;
    for (const auto& file : test::fuzz_corpus("model")) {
        CAPTURE(file.string());
        REQUIRE_NOTHROW(expect_model_error_or_success(test::read_corpus_file(file), loaded));
    }
    CHECK(loaded >= 2);  // the seeds are valid models: a loader that refuses everything fails here
}
