// After warm-up, inference allocates nothing: every operator new in this binary is counted.
#include <doctest/doctest.h>

#include "allocation_counter.h"
#include "nn_test_util.h"
#include "model/network_json.h"

using namespace ser;

TEST_CASE("the counter sees allocations") {
    const long before = test::allocation_count();
    static std::vector<float>* volatile escaped;  // so the compiler cannot elide the new
    escaped = new std::vector<float>(10);
    delete escaped;
    CHECK(test::allocation_count() > before);
}

TEST_CASE("seed net and temporal net inference allocate nothing after warm-up") {
    for (const char* file : {"tests/nn/data/seed_net.json", "tests/nn/data/temporal_net.json"}) {
        CAPTURE(file);
        auto trained = ser::network_from_json(test::read_json(file));
        test::randomise(trained, 3, 0.1f);
        nn::Network net = trained.folded();
        net.freeze();
        const nn::Shape in = net.input_shape();
        const auto x = test::random_values(static_cast<std::size_t>(in.size()) * 4, 1);
        for (int n : {1, 4}) net.forward(std::span(x).first(static_cast<std::size_t>(in.size()) * n), n, {});  // warm-up
        const long before = test::allocation_count();
        for (int i = 0; i < 5; ++i) {
            net.forward(std::span(x).first(static_cast<std::size_t>(in.size())), 1, {});
            net.forward(x, 4, {});
        }
        CHECK(test::allocation_count() == before);
    }
}
