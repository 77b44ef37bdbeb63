#include "model/model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

#include "features/frame_levels.h"
#include "json/json_reader.h"
#include "model/base64.h"
#include "model/json_text.h"
#include "model/network_json.h"
#include "model/selftest.h"
#include "nn/layers.h"

namespace ser {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what) { throw ModelError("model file: " + what); }

// edge_s only when set, so that files without it stay readable by builds before it.
json analysis_json(const AnalysisWindow& a) {
    json out = {{"window_s", a.window_s}, {"hop_s", a.hop_s}};
    if (a.edge_s > 0.0) out["edge_s"] = a.edge_s;
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
void read_tensor(JsonReader t, nn::Param& p, const std::string& where) {
    const json& shape = t.need("shape");
    std::vector<int> dims;
    if (!shape.is_array()) fail(where + ": 'shape' must be an array of integers");
    for (const auto& d : shape) {
        if (!d.is_number_integer()) fail(where + ": 'shape' must be an array of integers");
        dims.push_back(d.get<int>());
    }
    if (dims != p.shape)
        fail(where + ": shape " + shape_text(dims) + " does not match the layer, which needs " + shape_text(p.shape));
    if (t.string("dtype", "float32") != "float32") fail(where + ": dtype must be \"float32\"");
    const bool base64 = t.one_of("encoding", std::optional(false), {{"base64", true}, {"array", false}});
    const json* checksum = t.find("checksum");
    std::vector<float> values;
    std::vector<std::uint8_t> bytes;
    if (base64) {
        const std::string data = t.string("data", {});
        try {
            bytes = base64_decode(data);
        } catch (const std::invalid_argument& e) {
            fail(where + ": " + e.what());
        }
        if (bytes.size() != p.size() * 4)
            fail(where + ": data holds " + std::to_string(bytes.size() / 4) + " floats but shape " + shape_text(dims) +
                 " needs " + std::to_string(p.size()));
        values = le_bytes_to_floats(bytes);
        if (!checksum) fail(where + ": base64 data needs its 'checksum'");
    } else {
        values = t.floats("data");
        if (values.size() != p.size())
            fail(where + ": data holds " + std::to_string(values.size()) + " values but shape " + shape_text(dims) +
                 " needs " + std::to_string(p.size()));
        bytes = floats_to_le_bytes(values);
    }
    t.finish();
    if (checksum) {
        const std::string expected = checksum->is_string() ? checksum->get<std::string>() : "";
        const std::string actual = fnv1a64_tag(bytes);
        if (expected != actual)
            fail(where + ": checksum mismatch (file says " + JsonReader::shown(*checksum) + ", data gives \"" + actual +
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

Normalisation read_normalisation(JsonReader j, nn::Shape input) {
    Normalisation n;
    n.per_utterance = j.boolean("per_utterance", false);
    n.speech_range_db = j.number("speech_range_db", 0.0, 0.0, 200.0);
    n.floor_db = j.number("floor_db", 0.0, 0.0, 200.0);
    n.mean = j.floats("mean");
    n.std = j.floats("std");
    j.finish();
    const std::string where = j.path();
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

std::vector<float> read_logits(JsonReader& j, std::size_t classes) {
    auto v = j.floats("logits");
    if (v.size() != classes)
        fail(j.name("logits") + " has " + std::to_string(v.size()) + " values for " + std::to_string(classes) + " classes");
    return v;
}

Selftest read_selftest(JsonReader j, std::size_t classes) {
    Selftest s;
    JsonReader net = j.object("network");
    s.network_seed = net.unsigned_integer("seed", {});
    s.network_logits = read_logits(net, classes);
    net.finish();

    JsonReader pipe = j.object("pipeline");
    JsonReader sig = pipe.object("signal");
    if (sig.string("kind", {}) != "linear_chirp") sig.fail_at("kind", "must be \"linear_chirp\"");
    s.signal = {sig.number("seconds", {}), sig.number("f0_hz", {}), sig.number("f1_hz", {}), sig.number("amplitude", {})};
    if (!(s.signal.seconds > 0.0 && s.signal.seconds <= 60.0)) sig.fail_at("seconds", "must be in (0, 60]");
    sig.finish();
    JsonReader f = pipe.object("features");
    constexpr long long most = std::numeric_limits<int>::max();
    s.features.rows = f.integer("rows", {}, 0, most);
    s.features.cols = f.integer("cols", {}, 0, most);
    s.features.mean = f.number("mean", {});
    s.features.std = f.number("std", {});
    s.features.probe = f.floats("probe");
    f.finish();
    s.pipeline_logits = read_logits(pipe, classes);
    pipe.finish();
    j.finish();
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

double unit_number(JsonReader& j, const char* key) {
    const double v = j.number(key, {});
    if (!(v >= 0.0 && v <= 1.0)) fail(j.path() + ": '" + key + "' must be in [0, 1]");
    return v;
}

Adaptation read_adaptation(JsonReader j, const Model& m) {
    const std::string where = j.path();
    Adaptation a;
    JsonReader base = j.object("base");
    a.base_name = base.string("name", {});
    a.base_checksum = base.string("checksum", {});
    if (!is_checksum_tag(a.base_checksum)) fail(where + ".base.checksum must be \"fnv1a64:\" and 16 lowercase hex digits");
    base.finish();
    a.method = j.string("method", {});
    if (a.method.empty()) fail(where + ".method must be a non-empty string");
    const json& changed = j.need("changed");
    if (!changed.is_array()) fail(where + ".changed must be an array of layer names (or \"normalisation\")");
    std::set<std::string> names = {"normalisation"};
    for (const auto& l : m.network.layers()) names.insert(l->name);
    for (const auto& c : changed) {
        if (!c.is_string() || !names.count(c.get<std::string>()))
            fail(where + ".changed: " + JsonReader::shown(c) + " is neither a layer of this network nor \"normalisation\"");
        a.changed.push_back(c.get<std::string>());
    }
    const json& per = j.need("clips_per_label");
    if (!per.is_object() || per.empty()) fail(where + ".clips_per_label must be an object of label: clip count");
    for (const auto& [label, count] : per.items()) {
        if (std::find(m.labels.begin(), m.labels.end(), label) == m.labels.end())
            fail(where + ".clips_per_label: \"" + label + "\" is not one of the model's labels");
        if (!count.is_number_integer() || count.get<long long>() < 1 || count.get<long long>() > 1000000)
            fail(where + ".clips_per_label." + label + " must be a whole number >= 1");
        a.clips_per_label.emplace_back(label, count.get<int>());
    }
    const json& clips = j.need("clips");
    if (!clips.is_number_integer() || clips.get<long long>() != a.clips())
        fail(where + ".clips must be the sum of clips_per_label (" + std::to_string(a.clips()) + ")");
    JsonReader loo = j.object("leave_one_out");
    a.base_uar = unit_number(loo, "base_uar");
    a.adapted_uar = unit_number(loo, "adapted_uar");
    loo.finish();
    a.strength = j.number("strength", 1.0, 0.0, 1.0);
    j.finish();
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
            {"leave_one_out", {{"base_uar", a.base_uar}, {"adapted_uar", a.adapted_uar}}},
            {"strength", a.strength}};
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

namespace {

Model read_model(const json& j) {
    JsonReader doc(j, "model file", KeyNaming::in_parent);
    const json* format = doc.find("format");
    if (!format || *format != "ser-model") fail("'format' must be \"ser-model\": this is not a ser model");
    const json* version = doc.find("version");
    if (!version || !version->is_number_integer())
        fail("'version' must be an integer (this build reads version " + std::to_string(model_format_version) + ")");
    if (version->get<long long>() != model_format_version)
        fail("unsupported version " + version->dump() + ": this build reads version " +
             std::to_string(model_format_version) + "; use a ser release that matches the file or re-export it");

    Model m;
    m.labels = doc.strings("labels", {});
    std::set<std::string> seen;
    for (const auto& l : m.labels) {
        if (l.empty()) fail("'labels' must be a non-empty array of non-empty strings");
        if (!seen.insert(l).second) fail("duplicate label \"" + l + "\"");
    }
    if (m.labels.empty()) fail("'labels' must be a non-empty array of strings");

    const json& features = doc.need("feature_config");
    try {
        m.features = feature_config_from_json(features);
    } catch (const std::exception& e) {
        fail(std::string("feature_config: ") + e.what());
    }

    // The architecture is the layer list without weights; weights are read after it built.
    const json& layers = doc.need("layers");
    if (!layers.is_array()) fail("'layers' must be an array");
    json specs = json::array();
    for (const auto& l : layers) {
        json spec = l;
        if (spec.is_object()) spec.erase("weights");
        specs.push_back(spec);
    }
    try {
        m.network = network_from_json({{"input", doc.need("input")}, {"layers", specs}});
    } catch (const JsonReadError&) {
        throw;
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
        if (!spec.contains("weights")) fail(where + ": missing key 'weights'");
        JsonReader w(spec["weights"], "model file", KeyNaming::in_parent, where + " weights");
        for (nn::Param* p : tensors) {
            if (!w.has(p->name)) fail(where + ": missing weights '" + p->name + "'");
            const std::string tensor = where + " weights '" + p->name + "'";
            read_tensor(JsonReader(w.need(p->name), "model file", KeyNaming::in_parent, tensor), *p, tensor);
        }
        w.finish();
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

    m.normalisation = read_normalisation(doc.object("normalisation"), m.network.input_shape());
    if ((m.normalisation.speech_range_db > 0.0 || m.normalisation.floor_db > 0.0) && level_rows(m.features) == 0)
        fail("normalisation: speech_range_db and floor_db need frame inputs that start in dB (feature_config.input.features "
             "beginning with \"mel_db\", no pooling); set them to 0 for other features");
    m.normalisation.level_rows = level_rows(m.features);
    if (doc.find("analysis")) {
        JsonReader a = doc.object("analysis");
        m.analysis = {a.number("window_s", {}), a.number("hop_s", {}), a.number("edge_s", 0.0, 0.0, 60.0)};
        if (!(m.analysis.window_s > 0.0 && m.analysis.hop_s > 0.0)) fail("analysis: window_s and hop_s must be > 0");
        if (m.analysis.edge_s > m.analysis.window_s / 2.0)
            fail("analysis.edge_s: windows reach at most half a window past a clip's edge (so each holds some of "
                 "the clip); give at most window_s / 2");
        if (m.analysis.edge_s > 0.0 && m.features.input.pooling != Pooling::none)
            fail("analysis.edge_s: a pooled model takes a clip whole, so it has no windows past the edges; set it to 0");
        a.finish();
    }
    if (const json* training = doc.find("training")) {
        if (!training->is_object()) fail("'training' must be an object");
        m.training = *training;
    }
    (void)calibration_temperature(m);  // validates it
    m.selftest = read_selftest(doc.object("selftest"), m.labels.size());
    if (doc.find("adaptation")) m.adaptation = read_adaptation(doc.object("adaptation"), m);
    doc.finish();
    return m;
}

}  // namespace

Model parse_model(std::string_view text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // a syntax error, or a number too large for a double
        fail(std::string("not valid JSON (truncated or damaged file?): ") + e.what());
    }
    try {
        return read_model(j);
    } catch (const JsonReadError& e) {
        throw ModelError(e.what());
    }
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
    const json arch = network_to_json(m.network);
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
            {"analysis", analysis_json(m.analysis)},
            {"input", arch["input"]},
            {"layers", layers},
            {"training", m.training},
            {"selftest", write_selftest(m.selftest)}};
    if (m.adaptation) out["adaptation"] = write_adaptation(*m.adaptation);
    return out;
}

std::int64_t edge_samples(double edge_s, int sample_rate) {
    return std::llround(edge_s * sample_rate);
}

std::string save_model(const Model& model) {
    Model copy{model.labels, model.features, model.normalisation, model.analysis, model.network.clone(),
               model.training, compute_selftest(model), model.adaptation};
    return json_text(model_to_json(copy), 1);
}

}  // namespace ser
