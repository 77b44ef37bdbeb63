#include <doctest/doctest.h>

#include <stdexcept>

#include <regex>
#include <sstream>

#include "training/report.h"
#include "training_test_support.h"

using namespace ser;

namespace {

const std::vector<std::string> labels = {"neutral", "happy", "sad"};

ConfusionMatrix matrix(std::vector<std::int64_t> counts) {
    ConfusionMatrix m(3);
    m.counts = std::move(counts);
    return m;
}

EvaluationReport two_fold_report() {
    const auto items = test::synthetic_items("ravdess", 4, 6);
    SplitPlan plan = speaker_folds(items, 2);
    return make_report(plan, labels, {matrix({2, 0, 0, 1, 1, 0, 0, 0, 2}), matrix({1, 1, 0, 0, 2, 0, 0, 1, 1})});
}

EvaluationReport random_report() {
    const auto items = test::synthetic_items("ravdess", 4, 6);
    return make_report(random_split(items, 0.2, 1), labels, {matrix({2, 0, 0, 1, 1, 0, 0, 0, 2})});
}

}  // namespace

TEST_CASE("summary: per-fold scores, mean ± sd, pooled confusion") {
    const ReportSummary s = summarize(two_fold_report());
    CHECK(s.fold_scores[0].accuracy == doctest::Approx(5.0 / 6.0));
    CHECK(s.fold_scores[1].accuracy == doctest::Approx(4.0 / 6.0));
    CHECK(s.accuracy.mean == doctest::Approx(0.75));
    CHECK(s.accuracy.sd == doctest::Approx(std::sqrt(2.0) / 12.0));
    CHECK(s.pooled.counts == std::vector<std::int64_t>{3, 1, 0, 1, 3, 0, 0, 1, 3});
    CHECK(s.pooled_scores.accuracy == doctest::Approx(0.75));
}

TEST_CASE("JSON report has ser eval's stable shape") {
    const nlohmann::json j = report_json(two_fold_report());
    CHECK(j["labels"] == nlohmann::json(labels));
    CHECK(j["accuracy"].get<double>() == doctest::Approx(0.75));
    CHECK(j["uar"].get<double>() == doctest::Approx(0.75));
    CHECK(j["per_class"]["neutral"]["support"] == 4);
    CHECK(j["per_class"]["happy"]["precision"].get<double>() == doctest::Approx(0.6));
    CHECK(j["per_class"]["sad"]["recall"].get<double>() == doctest::Approx(0.75));
    for (const auto& [name, scores] : j["per_class"].items()) {
        const std::string& label = name;  // clang 14 cannot capture a structured binding
        for (const char* key : {"precision", "recall", "f1", "support"}) CHECK_MESSAGE(scores.contains(key), label, key);
    }
    CHECK(j["confusion"] == nlohmann::json::parse("[[3,1,0],[1,3,0],[0,1,3]]"));
    REQUIRE(j["folds"].size() == 2);
    CHECK(j["folds"][0]["name"] == "fold 1");
    CHECK(j["folds"][0]["n"] == 6);
    CHECK(j["folds"][0]["test_speakers"] == nlohmann::json::parse(R"(["ravdess:01","ravdess:02"])"));
    CHECK(j["folds"][1]["confusion"] == nlohmann::json::parse("[[1,1,0],[0,2,0],[0,1,1]]"));
    CHECK(j["protocol"] == "speaker");
    CHECK(j["speakers_overlap"] == false);
    CHECK(j["caveat"].is_null());
    CHECK(j.contains("accuracy_sd"));
    CHECK(j.contains("uar_sd"));

    const nlohmann::json leaky = report_json(random_report());
    CHECK(leaky["speakers_overlap"] == true);
    CHECK(leaky["caveat"] == "random split, speakers overlap");
    CHECK(leaky["protocol"] == "random");
}

TEST_CASE("text report: aligned columns, the caveat at top and bottom when the split leaks") {
    const std::string text = report_text(two_fold_report());
    CHECK(text.find("2 gender-balanced speaker folds") != std::string::npos);
    CHECK(text.find("0.750 ± 0.118") != std::string::npos);
    CHECK(text.find("speakers overlap") == std::string::npos);
    // In the per-class table every row ends at the same column.
    std::istringstream lines(text);
    std::string line;
    std::vector<std::size_t> ends;
    bool in_classes = false;
    while (std::getline(lines, line)) {
        if (line.rfind("Per class", 0) == 0) {
            in_classes = true;
            continue;
        }
        if (in_classes && line.empty()) break;
        if (in_classes) ends.push_back(line.size());
    }
    REQUIRE(ends.size() == 4);
    for (std::size_t e : ends) CHECK(e == ends[0]);

    const std::string leaky = report_text(random_report());
    CHECK(leaky.rfind("Evaluation: stratified random 80/20", 0) == 0);
    CHECK(leaky.find("WARNING: random split, speakers overlap") < 120);
    CHECK(leaky.substr(leaky.size() - 60).find("random split, speakers overlap") != std::string::npos);
}

TEST_CASE("confusion SVG: self-contained, one cell per pair, counts, escaped labels, caveat") {
    EvaluationReport report = random_report();
    report.labels[1] = "happy<&>";
    const std::string svg = confusion_svg(report);
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.find("</svg>") == svg.size() - 7);
    CHECK(svg.find("href") == std::string::npos);  // nothing external
    const std::regex cell("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"58.0\"");
    CHECK(std::distance(std::sregex_iterator(svg.begin(), svg.end(), cell), std::sregex_iterator()) == 9);
    CHECK(svg.find("happy&lt;&amp;&gt;") != std::string::npos);
    CHECK(svg.find("happy<&>") == std::string::npos);
    CHECK(svg.find("random split, speakers overlap") != std::string::npos);
    // Row-normalised colours: the full row "sad" (0, 0, 2) gets the darkest fill on its diagonal.
    CHECK(svg.find("fill=\"#08306b\"") != std::string::npos);
    CHECK(svg.find(">2</text>") != std::string::npos);
    CHECK(confusion_svg(two_fold_report()).find("speakers overlap") == std::string::npos);
}

TEST_CASE("make_report refuses mismatched folds, labels and empty folds") {
    const auto items = test::synthetic_items("ravdess", 4, 6);
    const SplitPlan plan = speaker_folds(items, 2);
    CHECK_THROWS_AS(make_report(plan, labels, {matrix({1, 0, 0, 0, 1, 0, 0, 0, 1})}), std::invalid_argument);
    CHECK_THROWS_AS(make_report(plan, labels, {ConfusionMatrix(2), ConfusionMatrix(2)}), std::invalid_argument);
    CHECK_THROWS_WITH_AS(make_report(plan, labels, {matrix({1, 0, 0, 0, 1, 0, 0, 0, 1}), ConfusionMatrix(3)}),
                         doctest::Contains("fold 2 classified nothing"), std::invalid_argument);
}
