#include "model/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "model/base64.h"
#include "model/json_text.h"
#include "model/selftest.h"
#include "nn/layers.h"

namespace ser {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what) { throw ModelError("model file: " + what); }

void only_keys(const json& j, const std::set<std::string>& known, const std::string& where) {
    for (const auto& [key, value] : j.items())
        if (!known.count(key)) fail(where + ": unknown key '" + key + "'");
}

const json& need(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key)) fail(where + ": missing key '" + key + "'");
    return j[key];
}

double number(const json& j, const char* key, const std::string& where) {
    const json& v = need(j, key, where);
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail(where + ": '" + key + "' must be a finite number");
    return v.get<double>();
}

std::vector<float> float_array(const json& v, const std::string& where) {
    if (!v.is_array()) fail(where + " must be an array of numbers");
    std::vector<float> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number()) fail(where + "[" + std::to_string(i) + "] is not a number");
        const double d = v[i].get<double>();
        if (!std::isfinite(d) || std::abs(d) > 3.4e38) fail(where + "[" + std::to_string(i) + "] is not a finite float32");
        out.push_back(static_cast<float>(d));
    }
    return out;
}

json floats_json(const std::vector<float>& v) {
    json a = json::array();
    for (float x : v) a.push_back(x);
    return a;
}

std::string shape_text(const std::vector<int>& s) {
    std::string out = "[";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

// One weight tensor: base64 little-endian float32 with its checksum, or a plain array.
void read_tensor(const json& j, nn::Param& p, const std::string& where) {
    if (!j.is_object()) fail(where + " must be an object with shape and data");
    only_keys(j, {"shape", "dtype", "encoding", "data", "checksum"}, where);
    const json& shape = need(j, "shape", where);
    std::vector<int> dims;
    if (!shape.is_array()) fail(where + ": 'shape' must be an array of integers");
    for (const auto& d : shape) {
        if (!d.is_number_integer()) fail(where + ": 'shape' must be an array of integers");
        dims.push_back(d.get<int>());
    }
    if (dims != p.shape)
        fail(where + ": shape " + shape_text(dims) + " does not match the layer, which needs " + shape_text(p.shape));
    if (j.contains("dtype") && j["dtype"] != "float32") fail(where + ": dtype must be \"float32\"");
    const std::string encoding = j.contains("encoding") && j["encoding"].is_string() ? j["encoding"].get<std::string>()
                                 : j.contains("encoding")                          ? "?"
                                                                                   : "array";
    const json& data = need(j, "data", where);
    std::vector<float> values;
    std::vector<std::uint8_t> bytes;
    if (encoding == "base64") {
        if (!data.is_string()) fail(where + ": base64 'data' must be a string");
        try {
            bytes = base64_decode(data.get<std::string>());
        } catch (const std::invalid_argument& e) {
            fail(where + ": " + e.what());
        }
        if (bytes.size() != p.size() * 4)
            fail(where + ": data holds " + std::to_string(bytes.size() / 4) + " floats but shape " + shape_text(dims) +
                 " needs " + std::to_string(p.size()));
        values = le_bytes_to_floats(bytes);
        if (!j.contains("checksum")) fail(where + ": base64 data needs its 'checksum'");
    } else if (encoding == "array") {
        values = float_array(data, where + " data");
        if (values.size() != p.size())
            fail(where + ": data holds " + std::to_string(values.size()) + " values but shape " + shape_text(dims) +
                 " needs " + std::to_string(p.size()));
        bytes = floats_to_le_bytes(values);
    } else {
        fail(where + ": encoding must be \"base64\" or \"array\"");
    }
    if (j.contains("checksum")) {
        const std::string expected = j["checksum"].is_string() ? j["checksum"].get<std::string>() : "";
        const std::string actual = fnv1a64_tag(bytes);
        if (expected != actual)
            fail(where + ": checksum mismatch (file says " + j["checksum"].dump() + ", data gives \"" + actual +
                 "\"): the weights are damaged; re-export the model");
    }
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            fail(where + "[" + std::to_string(i) + "] is " + (std::isnan(values[i]) ? "NaN" : "infinite") +
                 ": the model was saved from a diverged training run");
    p.value = std::move(values);
}

json write_tensor(const nn::Param& p) {
    const auto bytes = floats_to_le_bytes(p.value);
    return {{"shape", p.shape},
            {"dtype", "float32"},
            {"encoding", "base64"},
            {"data", base64_encode(bytes)},
            {"checksum", fnv1a64_tag(bytes)}};
}

Normalisation read_normalisation(const json& j, nn::Shape input) {
    const std::string where = "normalisation";
    if (!j.is_object()) fail(where + " must be an object");
    only_keys(j, {"per_utterance", "speech_range_db", "floor_db", "mean", "std"}, where);
    Normalisation n;
    if (j.contains("per_utterance")) {
        if (!j["per_utterance"].is_boolean()) fail(where + ": 'per_utterance' must be true or false");
        n.per_utterance = j["per_utterance"].get<bool>();
    }
    for (auto [key, value] : {std::pair{"speech_range_db", &n.speech_range_db}, std::pair{"floor_db", &n.floor_db}}) {
        if (!j.contains(key)) continue;
        *value = number(j, key, where);
        if (!(*value >= 0.0 && *value <= 200.0)) fail(where + "." + key + " must be between 0 (off) and 200 dB");
    }
    n.mean = float_array(need(j, "mean", where), where + ".mean");
    n.std = float_array(need(j, "std", where), where + ".std");
    const std::size_t size = n.mean.size();
    if (n.std.size() != size) fail(where + ": mean has " + std::to_string(size) + " values but std has " + std::to_string(n.std.size()));
    const bool per_channel = size == static_cast<std::size_t>(input.channels);
    const bool per_element = input.channels == 1 && size == static_cast<std::size_t>(input.size());  // pooled vector
    if (size != 0 && !per_channel && !per_element)
        fail(where + ": " + std::to_string(size) + " values fit neither the " + std::to_string(input.channels) +
             " input channels nor the " + std::to_string(input.size()) + " values of a pooled input");
    for (std::size_t i = 0; i < size; ++i)
        if (!(n.std[i] > 0.0f)) fail(where + ".std[" + std::to_string(i) + "] must be > 0");
    return n;
}

std::vector<float> logits_json(const json& j, const std::string& where, std::size_t classes) {
    auto v = float_array(j, where);
    if (v.size() != classes)
        fail(where + " has " + std::to_string(v.size()) + " values for " + std::to_string(classes) + " classes");
    return v;
}

Selftest read_selftest(const json& j, std::size_t classes) {
    const std::string where = "selftest";
    if (!j.is_object()) fail(where + " must be an object");
    only_keys(j, {"network", "pipeline"}, where);
    Selftest s;
    const json& net = need(j, "network", where);
    if (!net.is_object()) fail(where + ".network must be an object");
    only_keys(net, {"seed", "logits"}, where + ".network");
    if (!need(net, "seed", where + ".network").is_number_unsigned()) fail(where + ".network.seed must be an unsigned integer");
    s.network_seed = net["seed"].get<std::uint64_t>();
    s.network_logits = logits_json(need(net, "logits", where + ".network"), where + ".network.logits", classes);

    const json& pipe = need(j, "pipeline", where);
    if (!pipe.is_object()) fail(where + ".pipeline must be an object");
    only_keys(pipe, {"signal", "features", "logits"}, where + ".pipeline");
    const json& sig = need(pipe, "signal", where + ".pipeline");
    const std::string sw = where + ".pipeline.signal";
    if (!sig.is_object()) fail(sw + " must be an object");
    only_keys(sig, {"kind", "seconds", "f0_hz", "f1_hz", "amplitude"}, sw);
    if (need(sig, "kind", sw) != "linear_chirp") fail(sw + ": 'kind' must be \"linear_chirp\"");
    s.signal = {number(sig, "seconds", sw), number(sig, "f0_hz", sw), number(sig, "f1_hz", sw), number(sig, "amplitude", sw)};
    if (!(s.signal.seconds > 0.0 && s.signal.seconds <= 60.0)) fail(sw + ": 'seconds' must be in (0, 60]");
    const json& f = need(pipe, "features", where + ".pipeline");
    const std::string fw = where + ".pipeline.features";
    if (!f.is_object()) fail(fw + " must be an object");
    only_keys(f, {"rows", "cols", "mean", "std", "probe"}, fw);
    if (!need(f, "rows", fw).is_number_integer() || !need(f, "cols", fw).is_number_integer())
        fail(fw + ": 'rows' and 'cols' must be integers");
    s.features.rows = f["rows"].get<int>();
    s.features.cols = f["cols"].get<int>();
    s.features.mean = number(f, "mean", fw);
    s.features.std = number(f, "std", fw);
    s.features.probe = float_array(need(f, "probe", fw), fw + ".probe");
    s.pipeline_logits = logits_json(need(pipe, "logits", where + ".pipeline"), where + ".pipeline.logits", classes);
    return s;
}

json write_selftest(const Selftest& s) {
    return {{"network", {{"seed", s.network_seed}, {"logits", floats_json(s.network_logits)}}},
            {"pipeline",
             {{"signal",
               {{"kind", "linear_chirp"},
                {"seconds", s.signal.seconds},
                {"f0_hz", s.signal.f0_hz},
                {"f1_hz", s.signal.f1_hz},
                {"amplitude", s.signal.amplitude}}},
              {"features",
               {{"rows", s.features.rows},
                {"cols", s.features.cols},
                {"mean", s.features.mean},
                {"std", s.features.std},
                {"probe", floats_json(s.features.probe)}}},
              {"logits", floats_json(s.pipeline_logits)}}}};
}

bool is_checksum_tag(const std::string& t) {
    if (t.size() != 24 || t.rfind("fnv1a64:", 0) != 0) return false;
    for (std::size_t i = 8; i < t.size(); ++i)
        if (!std::isxdigit(static_cast<unsigned char>(t[i])) || std::isupper(static_cast<unsigned char>(t[i]))) return false;
    return true;
}

double unit_number(const json& j, const char* key, const std::string& where) {
    const double v = number(j, key, where);
    if (!(v >= 0.0 && v <= 1.0)) fail(where + ": '" + key + "' must be in [0, 1]");
    return v;
}

Adaptation read_adaptation(const json& j, const Model& m) {
    const std::string where = "adaptation";
    if (!j.is_object()) fail(where + " must be an object");
    only_keys(j, {"base", "method", "changed", "clips", "clips_per_label", "leave_one_out"}, where);
    Adaptation a;
    const json& base = need(j, "base", where);
    if (!base.is_object()) fail(where + ".base must be an object with 'name' and 'checksum'");
    only_keys(base, {"name", "checksum"}, where + ".base");
    if (!need(base, "name", where + ".base").is_string()) fail(where + ".base.name must be a string");
    a.base_name = base["name"].get<std::string>();
    const json& sum = need(base, "checksum", where + ".base");
    if (!sum.is_string() || !is_checksum_tag(sum.get<std::string>()))
        fail(where + ".base.checksum must be \"fnv1a64:\" and 16 lowercase hex digits");
    a.base_checksum = sum.get<std::string>();
    if (!need(j, "method", where).is_string() || j["method"].get<std::string>().empty())
        fail(where + ".method must be a non-empty string");
    a.method = j["method"].get<std::string>();
    const json& changed = need(j, "changed", where);
    if (!changed.is_array()) fail(where + ".changed must be an array of layer names (or \"normalisation\")");
    std::set<std::string> names = {"normalisation"};
    for (const auto& l : m.network.layers()) names.insert(l->name);
    for (const auto& c : changed) {
        if (!c.is_string() || !names.count(c.get<std::string>()))
            fail(where + ".changed: " + c.dump() + " is neither a layer of this network nor \"normalisation\"");
        a.changed.push_back(c.get<std::string>());
    }
    const json& per = need(j, "clips_per_label", where);
    if (!per.is_object() || per.empty()) fail(where + ".clips_per_label must be an object of label: clip count");
    for (const auto& [label, count] : per.items()) {
        if (std::find(m.labels.begin(), m.labels.end(), label) == m.labels.end())
            fail(where + ".clips_per_label: \"" + label + "\" is not one of the model's labels");
        if (!count.is_number_integer() || count.get<long long>() < 1 || count.get<long long>() > 1000000)
            fail(where + ".clips_per_label." + label + " must be a whole number >= 1");
        a.clips_per_label.emplace_back(label, count.get<int>());
    }
    const json& clips = need(j, "clips", where);
    if (!clips.is_number_integer() || clips.get<long long>() != a.clips())
        fail(where + ".clips must be the sum of clips_per_label (" + std::to_string(a.clips()) + ")");
    const json& loo = need(j, "leave_one_out", where);
    if (!loo.is_object()) fail(where + ".leave_one_out must be an object");
    only_keys(loo, {"base_uar", "adapted_uar"}, where + ".leave_one_out");
    a.base_uar = unit_number(loo, "base_uar", where + ".leave_one_out");
    a.adapted_uar = unit_number(loo, "adapted_uar", where + ".leave_one_out");
    return a;
}

json write_adaptation(const Adaptation& a) {
    json per = json::object();
    for (const auto& [label, count] : a.clips_per_label) per[label] = count;
    return {{"base", {{"name", a.base_name}, {"checksum", a.base_checksum}}},
            {"method", a.method},
            {"changed", a.changed},
            {"clips", a.clips()},
            {"clips_per_label", per},
            {"leave_one_out", {{"base_uar", a.base_uar}, {"adapted_uar", a.adapted_uar}}}};
}

}  // namespace

int Adaptation::clips() const {
    int n = 0;
    for (const auto& [label, count] : clips_per_label) n += count;
    return n;
}

std::string weights_checksum(const Model& m) {
    std::vector<float> all(m.normalisation.mean);
    all.insert(all.end(), m.normalisation.std.begin(), m.normalisation.std.end());
    for (const auto& l : m.network.layers())
        for (const nn::Param* p : l->tensors()) all.insert(all.end(), p->value.begin(), p->value.end());
    return fnv1a64_tag(floats_to_le_bytes(all));
}

std::vector<float> synthesise(const SelftestSignal& s, int sample_rate) {
    const auto n = static_cast<std::size_t>(std::llround(s.seconds * sample_rate));
    std::vector<float> out(n);
    const double sweep = (s.f1_hz - s.f0_hz) / (2.0 * s.seconds);
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / sample_rate;
        out[i] = static_cast<float>(s.amplitude * std::sin(2.0 * 3.14159265358979323846 * (s.f0_hz * t + sweep * t * t)));
    }
    return out;
}

Model parse_model(std::string_view text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // a syntax error, or a number too large for a double
        fail(std::string("not valid JSON (truncated or damaged file?): ") + e.what());
    }
    if (!j.is_object()) fail("the document must be a JSON object");
    if (!j.contains("format") || j["format"] != "ser-model") fail("'format' must be \"ser-model\": this is not a ser model");
    if (!j.contains("version") || !j["version"].is_number_integer())
        fail("'version' must be an integer (this build reads version " + std::to_string(model_format_version) + ")");
    if (j["version"].get<long long>() != model_format_version)
        fail("unsupported version " + j["version"].dump() + ": this build reads version " +
             std::to_string(model_format_version) + "; use a ser release that matches the file or re-export it");
    only_keys(j, {"format", "version", "labels", "feature_config", "normalisation", "analysis", "input", "layers",
                  "training", "selftest", "adaptation"},
              "top level");

    Model m;
    const json& labels = need(j, "labels", "top level");
    if (!labels.is_array() || labels.empty()) fail("'labels' must be a non-empty array of strings");
    std::set<std::string> seen;
    for (const auto& l : labels) {
        if (!l.is_string() || l.get<std::string>().empty()) fail("'labels' must be a non-empty array of non-empty strings");
        if (!seen.insert(l.get<std::string>()).second) fail("duplicate label \"" + l.get<std::string>() + "\"");
        m.labels.push_back(l.get<std::string>());
    }

    try {
        m.features = feature_config_from_json(need(j, "feature_config", "top level"));
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        fail(std::string("feature_config: ") + e.what());
    }

    // The architecture is the layer list without weights; weights are read after it built.
    const json& layers = need(j, "layers", "top level");
    if (!layers.is_array()) fail("'layers' must be an array");
    json specs = json::array();
    for (const auto& l : layers) {
        json spec = l;
        if (spec.is_object()) spec.erase("weights");
        specs.push_back(spec);
    }
    try {
        m.network = nn::Network::from_json({{"input", need(j, "input", "top level")}, {"layers", specs}});
    } catch (const std::invalid_argument& e) {
        fail(std::string("layers: ") + e.what());
    }
    auto& net_layers = m.network.layers();
    for (std::size_t i = 0; i < net_layers.size(); ++i) {
        nn::Layer& layer = *net_layers[i];
        const std::string where = "layer " + std::to_string(i) + " '" + layer.name + "'";
        auto tensors = layer.tensors();
        const json& spec = layers[i];
        if (tensors.empty()) {
            if (spec.contains("weights")) fail(where + ": a " + std::string(layer.type()) + " layer has no weights");
            continue;
        }
        const json& w = need(spec, "weights", where);
        if (!w.is_object()) fail(where + ": 'weights' must be an object");
        std::set<std::string> names;
        for (nn::Param* p : tensors) {
            names.insert(p->name);
            if (!w.contains(p->name)) fail(where + ": missing weights '" + p->name + "'");
            read_tensor(w[p->name], *p, where + " weights '" + p->name + "'");
        }
        only_keys(w, names, where + " weights");
    }

    const nn::Shape out = m.network.output_shape();
    if (out.time != 1 || static_cast<std::size_t>(out.channels) != m.labels.size())
        fail(std::to_string(m.labels.size()) + " labels but the output layer gives " + nn::to_string(out) +
             ": one output per label is needed");
    for (const auto& l : m.network.layers()) {
        if (auto* bn = dynamic_cast<nn::BatchNorm*>(l.get()))
            for (std::size_t c = 0; c < bn->running_var->size(); ++c)
                if (!(bn->running_var->value[c] >= 0.0f))
                    fail("layer '" + l->name + "': running_var[" + std::to_string(c) + "] is negative");
    }

    m.normalisation = read_normalisation(need(j, "normalisation", "top level"), m.network.input_shape());
    if ((m.normalisation.speech_range_db > 0.0 || m.normalisation.floor_db > 0.0) &&
        !(m.features.input.features == std::vector<std::string>{"mel_db"} && m.features.input.pooling == Pooling::none))
        fail("normalisation: speech_range_db and floor_db need frame inputs in dB (feature_config.input.features "
             "[\"mel_db\"], no pooling); set them to 0 for other features");
    if (j.contains("analysis")) {
        const json& a = j["analysis"];
        if (!a.is_object()) fail("'analysis' must be an object");
        only_keys(a, {"window_s", "hop_s"}, "analysis");
        m.analysis = {number(a, "window_s", "analysis"), number(a, "hop_s", "analysis")};
        if (!(m.analysis.window_s > 0.0 && m.analysis.hop_s > 0.0)) fail("analysis: window_s and hop_s must be > 0");
    }
    if (j.contains("training")) {
        if (!j["training"].is_object()) fail("'training' must be an object");
        m.training = j["training"];
    }
    (void)calibration_temperature(m);  // validates it
    m.selftest = read_selftest(need(j, "selftest", "top level"), m.labels.size());
    if (j.contains("adaptation")) m.adaptation = read_adaptation(j["adaptation"], m);
    return m;
}

float calibration_temperature(const Model& m) {
    if (!m.training.contains("calibration_temperature")) return 1.0f;
    const json& t = m.training["calibration_temperature"];
    if (!t.is_number() || !(t.get<double>() > 0.0) || !std::isfinite(t.get<double>()))
        fail("training.calibration_temperature must be a number > 0");
    return t.get<float>();
}

Model load_model(std::string_view text) {
    Model m = parse_model(text);
    verify_selftest(m);
    return m;
}

json model_to_json(const Model& m) {
    const json arch = m.network.architecture();
    json layers = json::array();
    const auto& net_layers = m.network.layers();
    for (std::size_t i = 0; i < net_layers.size(); ++i) {
        json spec = arch["layers"][i];
        auto tensors = net_layers[i]->tensors();
        if (!tensors.empty()) {
            json w = json::object();
            for (const nn::Param* p : tensors) w[p->name] = write_tensor(*p);
            spec["weights"] = w;
        }
        layers.push_back(spec);
    }
    json out = {{"format", "ser-model"},
            {"version", model_format_version},
            {"labels", m.labels},
            {"feature_config", to_json(m.features)},
            {"normalisation",
             {{"per_utterance", m.normalisation.per_utterance},
              {"speech_range_db", m.normalisation.speech_range_db},
              {"floor_db", m.normalisation.floor_db},
              {"mean", floats_json(m.normalisation.mean)},
              {"std", floats_json(m.normalisation.std)}}},
            {"analysis", {{"window_s", m.analysis.window_s}, {"hop_s", m.analysis.hop_s}}},
            {"input", arch["input"]},
            {"layers", layers},
            {"training", m.training},
            {"selftest", write_selftest(m.selftest)}};
    if (m.adaptation) out["adaptation"] = write_adaptation(*m.adaptation);
    return out;
}

std::string save_model(const Model& model) {
    Model copy{model.labels, model.features, model.normalisation, model.analysis, model.network.clone(),
               model.training, compute_selftest(model), model.adaptation};
    return json_text(model_to_json(copy), 1);
}

}  // namespace ser
