// The model file: round trip, both weight encodings, and one test per malformed case.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "fuzz/fuzz_corpus.h"
#include "model/base64.h"
#include "model/predictor.h"
#include "model/selftest.h"
#include "support/random_model.h"
#include "model/network_json.h"

using namespace ser;
using nlohmann::json;

namespace {

json saved_json() {
    static const json j = json::parse(save_model(test::random_model()));
    return j;
}

// The message of the ModelError that loading `j` throws ("" when it loads).
std::string load_error(const std::string& text) {
    try {
        load_model(text);
    } catch (const ModelError& e) {
        return e.what();
    }
    return "";
}
std::string load_error(const json& j) { return load_error(j.dump()); }

json& layer(json& j, const std::string& name) {
    for (auto& l : j["layers"])
        if (l["name"] == name) return l;
    throw std::runtime_error("no layer " + name);
}

}  // namespace

TEST_CASE("base64 and the checksum") {
    const std::vector<std::uint8_t> bytes{0, 1, 2, 250, 251, 252, 253};
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
        const std::span<const std::uint8_t> part(bytes.data(), n);
        CHECK(base64_decode(base64_encode(part)) == std::vector<std::uint8_t>(part.begin(), part.end()));
    }
    CHECK(base64_encode(std::vector<std::uint8_t>{'M', 'a', 'n'}) == "TWFu");
    CHECK(base64_encode(std::vector<std::uint8_t>{'M', 'a'}) == "TWE=");
    CHECK_THROWS_AS(base64_decode("TWE"), std::invalid_argument);
    CHECK_THROWS_AS(base64_decode("TW!u"), std::invalid_argument);
    CHECK_THROWS_AS(base64_decode("T=Fu"), std::invalid_argument);
    CHECK(fnv1a64_tag({}) == "fnv1a64:cbf29ce484222325");  // the FNV-1a offset basis
    CHECK(fnv1a64_tag(std::vector<std::uint8_t>{'a'}) == "fnv1a64:af63dc4c8601ec8c");
    const std::vector<float> f{1.0f, -2.5f, 3e-20f};
    CHECK(le_bytes_to_floats(floats_to_le_bytes(f)) == f);
    CHECK(floats_to_le_bytes(std::vector<float>{1.0f}) == std::vector<std::uint8_t>{0, 0, 0x80, 0x3f});
}

TEST_CASE("save then load gives the same model and the same probabilities") {
    const Model original = test::random_model();
    const std::string text = save_model(original);
    const Model loaded = load_model(text);
    CHECK(loaded.labels == original.labels);
    CHECK(loaded.features == original.features);
    CHECK(ser::network_to_json(loaded.network) == ser::network_to_json(original.network));
    CHECK(loaded.training == original.training);
    CHECK(loaded.normalisation.mean == original.normalisation.mean);
    const auto& a = original.network.layers();
    const auto& b = loaded.network.layers();
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto ta = a[i]->tensors(), tb = b[i]->tensors();
        for (std::size_t k = 0; k < ta.size(); ++k) CHECK(ta[k]->value == tb[k]->value);  // bit-exact
    }
    CHECK(save_model(loaded) == text);

    Predictor p1(original), p2(loaded);
    const auto pcm = synthesise({1.5, 300.0, 2000.0, 0.2}, 16000);
    const std::vector<float> prob(p1.probabilities(pcm).begin(), p1.probabilities(pcm).end());
    const auto prob2 = p2.probabilities(pcm);
    double sum = 0.0;
    for (std::size_t i = 0; i < prob.size(); ++i) {
        CHECK(prob[i] == prob2[i]);
        sum += prob[i];
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
}

TEST_CASE("weights as plain arrays load too") {
    json j = saved_json();
    for (auto& l : j["layers"]) {
        if (!l.contains("weights")) continue;
        for (auto& [name, t] : l["weights"].items()) {
            const auto bytes = base64_decode(t["data"].get<std::string>());
            t["data"] = le_bytes_to_floats(bytes);
            t["encoding"] = "array";
            t.erase("checksum");
        }
    }
    CHECK(load_error(j).empty());
}

TEST_CASE("malformed: truncated JSON") {
    const std::string text = saved_json().dump();
    CHECK(load_error(text.substr(0, text.size() / 2)).find("not valid JSON") != std::string::npos);
    CHECK(load_error(std::string()).find("not valid JSON") != std::string::npos);
}

TEST_CASE("malformed: a number too large for a double (found by fuzz_model)") {
    std::string text = saved_json().dump();
    const std::string hop = "\"hop_s\":0.25";
    REQUIRE(text.find(hop) != std::string::npos);
    text.replace(text.find(hop), hop.size(), "\"hop_s\":1e400");
    CHECK(load_error(text).find("not valid JSON") != std::string::npos);
    // The fuzzer's own input, checked in beside the seeds.
    const std::string found = test::read_corpus_file(test::source_dir() / "tests/fuzz/corpus/model/crash-number-overflow.json");
    CHECK(load_error(found).find("number overflow") != std::string::npos);
}

TEST_CASE("malformed: wrong weight shape") {
    json j = saved_json();
    layer(j, "conv2")["weights"]["weight"]["shape"] = {8, 8, 4};
    CHECK(load_error(j).find("shape [8, 8, 4] does not match the layer, which needs [8, 8, 3]") != std::string::npos);
    json k = saved_json();
    layer(k, "conv2")["filters"] = 9;  // the layer changed, the weights did not
    CHECK(load_error(k).find("does not match the layer") != std::string::npos);
}

TEST_CASE("malformed: NaN weights") {
    json j = saved_json();
    auto& t = layer(j, "logits")["weights"]["weight"];
    auto values = le_bytes_to_floats(base64_decode(t["data"].get<std::string>()));
    values[5] = std::nanf("");
    const auto bytes = floats_to_le_bytes(values);
    t["data"] = base64_encode(bytes);
    t["checksum"] = fnv1a64_tag(bytes);  // a consistent file that still must not load
    CHECK(load_error(j).find("weights 'weight'[5] is NaN") != std::string::npos);
}

TEST_CASE("malformed: unknown layer type") {
    json j = saved_json();
    layer(j, "relu2")["type"] = "swish";
    CHECK(load_error(j).find("unknown layer type 'swish'") != std::string::npos);
}

TEST_CASE("malformed: label count against the output size") {
    json j = saved_json();
    j["labels"].push_back("fearful");
    CHECK(load_error(j).find("5 labels but the output layer gives [4 channels][1 steps]") != std::string::npos);
}

TEST_CASE("malformed: wrong version") {
    json j = saved_json();
    j["version"] = 2;
    CHECK(load_error(j).find("unsupported version 2: this build reads version 1") != std::string::npos);
    j["format"] = "keras";
    CHECK(load_error(j).find("not a ser model") != std::string::npos);
}

TEST_CASE("malformed: duplicate names") {
    json j = saved_json();
    layer(j, "relu2")["name"] = "relu1";
    CHECK(load_error(j).find("duplicate layer name 'relu1'") != std::string::npos);
    json k = saved_json();
    k["labels"][2] = "angry";
    CHECK(load_error(k).find("duplicate label \"angry\"") != std::string::npos);
}

TEST_CASE("malformed: bad checksum") {
    json j = saved_json();
    auto& t = layer(j, "conv1")["weights"]["weight"];
    std::string data = t["data"].get<std::string>();
    data[10] = data[10] == 'A' ? 'B' : 'A';  // one flipped character, still valid base64
    t["data"] = data;
    CHECK(load_error(j).find("checksum mismatch") != std::string::npos);
}

TEST_CASE("malformed: missing or extra weights, bad normalisation, unknown keys") {
    json j = saved_json();
    layer(j, "bn1")["weights"].erase("running_var");
    CHECK(load_error(j).find("missing weights 'running_var'") != std::string::npos);
    json k = saved_json();
    layer(k, "relu1")["weights"] = json::object();
    CHECK(load_error(k).find("has no weights") != std::string::npos);
    json n = saved_json();
    n["normalisation"]["std"][3] = 0.0;
    CHECK(load_error(n).find("normalisation.std[3] must be > 0") != std::string::npos);
    json m = saved_json();
    m["normalisation"]["mean"].erase(0);
    CHECK(load_error(m).find("normalisation") != std::string::npos);
    json u = saved_json();
    u["weights_url"] = "http://example.invalid";
    CHECK(load_error(u).find("unknown key 'weights_url'") != std::string::npos);
}

TEST_CASE("analysis.edge_s round-trips, is absent when 0 (older builds read the file) and is bounded") {
    Model m = test::random_model();
    CHECK_FALSE(saved_json()["analysis"].contains("edge_s"));
    m.analysis.edge_s = m.analysis.window_s / 2.0;
    const std::string text = save_model(m);
    CHECK(json::parse(text)["analysis"]["edge_s"] == m.analysis.edge_s);
    CHECK(load_model(text).analysis.edge_s == m.analysis.edge_s);
    json past = json::parse(text);
    past["analysis"]["edge_s"] = m.analysis.window_s * 0.6;
    CHECK(load_error(past).find("analysis.edge_s: windows reach at most half a window") != std::string::npos);
    json negative = json::parse(text);
    negative["analysis"]["edge_s"] = -0.5;
    CHECK(load_error(negative).find("edge_s") != std::string::npos);
}

namespace {

// A saved small model carrying a well-formed adaptation record.
json adapted_json() {
    Model m = test::random_model();
    Adaptation a;
    a.base_name = "base.json";
    a.base_checksum = weights_checksum(test::random_model());
    a.method = "norm+head";
    a.changed = {"normalisation", "logits"};
    a.clips_per_label = {{"angry", 2}, {"sad", 3}};
    a.base_uar = 0.5;
    a.adapted_uar = 0.75;
    m.adaptation = a;
    return json::parse(save_model(m));
}

std::string adaptation_error(const std::function<void(json&)>& damage) {
    json j = adapted_json();
    damage(j["adaptation"]);
    return load_error(j);
}

}  // namespace

TEST_CASE("an adaptation record round-trips, and a model without one has none") {
    const Model m = load_model(adapted_json().dump());
    REQUIRE(m.adaptation);
    CHECK(m.adaptation->base_name == "base.json");
    CHECK(m.adaptation->base_checksum == weights_checksum(test::random_model()));
    CHECK(m.adaptation->clips() == 5);
    CHECK(m.adaptation->changed == std::vector<std::string>{"normalisation", "logits"});
    CHECK(m.adaptation->adapted_uar == doctest::Approx(0.75));
    CHECK(adapted_json()["adaptation"]["clips"] == 5);
    CHECK_FALSE(load_model(saved_json().dump()).adaptation);
    // The checksum names the weights: another seed's model has another one.
    CHECK(weights_checksum(test::random_model({.seed = 2})) != weights_checksum(test::random_model()));
}

TEST_CASE("malformed adaptation: not an object, unknown key") {
    CHECK(adaptation_error([](json& a) { a = 3; }).find("adaptation must be an object") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["note"] = "x"; }).find("adaptation: unknown key 'note'") != std::string::npos);
}

TEST_CASE("malformed adaptation: base without name or with a bad checksum") {
    CHECK(adaptation_error([](json& a) { a.erase("base"); }).find("missing key 'base'") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["base"].erase("name"); }).find("missing key 'name'") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["base"]["checksum"] = "md5:00"; }).find("adaptation.base.checksum") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["base"]["checksum"] = "fnv1a64:0123456789ABCDEF"; })
              .find("lowercase") != std::string::npos);
}

TEST_CASE("malformed adaptation: method and changed layers") {
    CHECK(adaptation_error([](json& a) { a["method"] = ""; }).find("adaptation.method") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["changed"] = {"conv9"}; }).find("\"conv9\" is neither a layer") != std::string::npos);
    CHECK(adaptation_error([](json& a) { a["changed"] = "logits"; }).find("adaptation.changed must be an array") != std::string::npos);
}

TEST_CASE("malformed adaptation: clip counts") {
    CHECK(adaptation_error([](json& a) { a["clips_per_label"]["neutral"] = 1; }).find("\"neutral\" is not one of the model's labels") !=
          std::string::npos);
    CHECK(adaptation_error([](json& a) { a["clips_per_label"]["sad"] = 0; }).find("clips_per_label.sad must be a whole number") !=
          std::string::npos);
    CHECK(adaptation_error([](json& a) { a["clips_per_label"] = json::object(); }).find("clips_per_label must be") !=
          std::string::npos);
    CHECK(adaptation_error([](json& a) { a["clips"] = 4; }).find("sum of clips_per_label (5)") != std::string::npos);
}

TEST_CASE("malformed adaptation: leave-one-out numbers") {
    CHECK(adaptation_error([](json& a) { a["leave_one_out"]["adapted_uar"] = 1.5; }).find("'adapted_uar' must be in [0, 1]") !=
          std::string::npos);
    CHECK(adaptation_error([](json& a) { a["leave_one_out"].erase("base_uar"); }).find("missing key 'base_uar'") !=
          std::string::npos);
}

TEST_CASE("the selftest catches a model whose numbers drifted") {
    json j = saved_json();
    j["selftest"]["network"]["logits"][0] = j["selftest"]["network"]["logits"][0].get<double>() + 0.01;
    CHECK(load_error(j).find("selftest failed: network logits differ") != std::string::npos);

    json f = saved_json();  // features computed differently than at export
    f["feature_config"]["mel"]["fmin"] = 80.0;
    CHECK(load_error(f).find("different features") != std::string::npos);

    json p = saved_json();
    p["normalisation"]["mean"][0] = -30.0;  // only the pipeline sees it
    CHECK(load_error(p).find("selftest failed: pipeline logits differ") != std::string::npos);

    json w = saved_json();  // weights changed consistently, selftest not re-made
    auto& t = layer(w, "logits")["weights"]["bias"];
    auto values = le_bytes_to_floats(base64_decode(t["data"].get<std::string>()));
    values[1] += 0.5f;
    const auto bytes = floats_to_le_bytes(values);
    t["data"] = base64_encode(bytes);
    t["checksum"] = fnv1a64_tag(bytes);
    CHECK(load_error(w).find("selftest failed") != std::string::npos);
    CHECK(parse_model(w.dump()).labels.size() == 4);  // parse alone does not run it
}

TEST_CASE("a feature config this build cannot compute is refused") {
    json j = saved_json();
    j["feature_config"]["input"]["features"] = {"spectral_flux"};
    CHECK(load_error(j).find("feature_config") != std::string::npos);

    Model m = test::random_model();
    m.features.stft.n_fft = 401;  // not computable (odd), though it came from code, not a file
    CHECK_THROWS_WITH_AS(Predictor{m}, doctest::Contains("cannot compute"), ModelError);
}

TEST_CASE("the predictor refuses input it cannot judge") {
    const Model m = test::random_model();
    Predictor p(m);
    const std::size_t min = p.min_samples();
    CHECK(min > 0);
    std::vector<float> pcm = synthesise({2.0, 200.0, 1000.0, 0.3}, 16000);
    CHECK_THROWS_WITH_AS(p.probabilities(std::span(pcm).first(min - 1)), doctest::Contains("shorter than one analysis frame"),
                         std::invalid_argument);
    CHECK_NOTHROW(p.probabilities(std::span(pcm).first(min)));
    pcm[1000] = std::nanf("");
    CHECK_THROWS_AS(p.probabilities(pcm), std::invalid_argument);
    pcm[1000] = INFINITY;
    CHECK_THROWS_AS(p.probabilities(pcm), std::invalid_argument);
}

TEST_CASE("the seed net with the 162-value recipe: pooled input, per-element normalisation") {
    Model m;
    m.labels = {"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"};
    m.features = feature_preset("recipe162");
    m.network = ser::network_from_json(json::parse(R"({"input": {"channels": 1, "time": 162}, "layers": [
        {"type": "conv1d", "filters": 16, "kernel": 5, "padding": "same"}, {"type": "relu"},
        {"type": "maxpool1d", "pool": 5, "stride": 2, "padding": "same"}, {"type": "flatten"},
        {"type": "dense", "units": 8}, {"type": "softmax"}]})"));
    m.network.init(4);
    m.normalisation.mean.assign(162, 0.0f);
    m.normalisation.std.assign(162, 10.0f);
    m.analysis.window_s = 1.0;
    m.analysis.edge_s = 0.5;
    CHECK_THROWS_WITH_AS(load_model(save_model(m)), doctest::Contains("a pooled model takes a clip whole"), ModelError);
    m.analysis.edge_s = 0.0;
    const Model loaded = load_model(save_model(m));
    Predictor p(loaded);
    CHECK(p.min_samples() == 1);
    const auto prob = p.probabilities(synthesise({1.0, 200.0, 3000.0, 0.3}, m.features.sample_rate));
    CHECK(prob.size() == 8);
    CHECK(p.features().rows == 1);
    CHECK(p.features().cols == 162);
}
