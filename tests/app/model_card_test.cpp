#include <doctest/doctest.h>

#include "app/state/model_card.h"
#include "app_test_models.h"

using ser::app::model_card;
using ser::app::row_shares;

TEST_CASE("the model card reads what training and evaluation recorded") {
    ser::Model m = ser::test::frame_model();
    m.training = nlohmann::json::parse(R"({
        "data": {"corpora": [{"corpus": "ravdess", "files": 1440, "speakers": 24}, {"corpus": "nemo", "language": "Polish", "files": 4481}],
                 "files_per_label": {"angry": 192, "calm": 192}},
        "metrics": {"labels": ["angry", "calm", "happy", "sad"], "accuracy": 0.61, "accuracy_sd": 0.04,
                    "uar": 0.6, "macro_f1": 0.59, "protocol": "speaker",
                    "protocol_description": "6 gender-balanced speaker folds", "caveat": null,
                    "confusion": [[8, 2, 0, 0], [1, 9, 0, 0], [0, 0, 5, 5], [0, 0, 0, 0]]},
        "validation": {"accuracy": 0.7, "uar": "n/a"},
        "date": "2025-01-01T00:00:00Z", "ser_version": "0.1.0", "seed": 1, "calibration_temperature": 1.2})");
    const auto card = model_card(m);
    CHECK(card.labels == m.labels);
    CHECK(card.parameters == m.network.parameter_count());
    CHECK(card.input.find("mel_db at 16000 Hz; windows of 2.00 s every 0.25 s") != std::string::npos);
    REQUIRE(card.training_data.size() == 2);
    CHECK(card.training_data[0] == "ravdess: 1440 files, 24 speakers");
    CHECK(card.training_data[1] == "nemo (Polish): 4481 files");
    CHECK(card.files_per_label == "angry 192, calm 192");
    CHECK(card.protocol == "6 gender-balanced speaker folds");
    REQUIRE(card.metrics.size() == 4);  // accuracy, UAR, macro F1, validation accuracy ("n/a" is left out)
    CHECK(card.metrics[0].second == "0.610 \u00b1 0.040");
    CHECK(card.metrics[1].second == "0.600");
    CHECK(card.metrics[3].first == "Validation accuracy");
    CHECK(card.caveat.empty());
    REQUIRE(card.confusion.size() == 4);
    CHECK(card.confusion_labels[2] == "happy");
    REQUIRE(card.facts.size() == 3);
    CHECK(card.facts[0].second == "2025-01-01T00:00:00Z");

    const auto shares = row_shares(card.confusion);
    CHECK(shares[0][0] == doctest::Approx(0.8));
    CHECK(shares[2][3] == doctest::Approx(0.5));
    CHECK(shares[3][0] == 0.0);  // a label without examples
}

TEST_CASE("a model file without a training record, or with odd fields, still has a card") {
    ser::Model m = ser::test::frame_model();
    m.training = nlohmann::json::object();
    auto card = model_card(m);
    CHECK(card.training_data.empty());
    CHECK(card.metrics.empty());
    CHECK(card.confusion.empty());
    CHECK(card.protocol.empty());

    m.training = nlohmann::json::parse(R"({"corpora": ["synthetic"], "metrics": {"confusion": [[1, 2], [3, 4]],
        "accuracy": "high", "caveat": "speakers overlap"}, "validation": {"uar": 0.5}, "seed": [1]})");
    card = model_card(m);
    CHECK(card.training_data == std::vector<std::string>{"synthetic"});
    CHECK(card.confusion.empty());  // 2 x 2 for 4 labels: not trusted
    CHECK(card.caveat == "speakers overlap");
    REQUIRE(card.metrics.size() == 1);
    CHECK(card.protocol == "held-out validation split");
    CHECK(card.facts.empty());

    m.training = nlohmann::json::parse(R"({"metrics": {"confusion": [[1, 2, 3, -4], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]}})");
    CHECK(model_card(m).confusion.empty());  // a negative count
}
