#include "features/feature_config.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

namespace ser {
namespace {

using nlohmann::json;

constexpr std::array base_features = {"mel_power", "mel_db", "mfcc", "chroma", "zcr", "rms"};

[[noreturn]] void fail(const std::string& message) {
    throw std::invalid_argument("feature config: " + message);
}

template <class Enum>
struct EnumName {
    Enum value;
    const char* name;
};

constexpr std::array window_names = {EnumName<WindowKind>{WindowKind::hann, "hann"},
                                     EnumName<WindowKind>{WindowKind::hamming, "hamming"},
                                     EnumName<WindowKind>{WindowKind::rectangular, "rectangular"}};
constexpr std::array pad_names = {EnumName<PadMode>{PadMode::constant, "constant"},
                                  EnumName<PadMode>{PadMode::edge, "edge"},
                                  EnumName<PadMode>{PadMode::reflect, "reflect"}};
constexpr std::array scale_names = {EnumName<MelScale>{MelScale::slaney, "slaney"},
                                    EnumName<MelScale>{MelScale::htk, "htk"}};
constexpr std::array norm_names = {EnumName<MelNorm>{MelNorm::slaney, "slaney"},
                                   EnumName<MelNorm>{MelNorm::none, "none"}};
constexpr std::array span_names = {EnumName<DbSpan>{DbSpan::clip, "clip"}, EnumName<DbSpan>{DbSpan::frame, "frame"}};
constexpr std::array chroma_input_names = {EnumName<ChromaInput>{ChromaInput::power, "power"},
                                           EnumName<ChromaInput>{ChromaInput::magnitude, "magnitude"}};
constexpr std::array pooling_names = {EnumName<Pooling>{Pooling::none, "none"},
                                      EnumName<Pooling>{Pooling::mean, "mean"}};

template <class Enum, std::size_t N>
const char* name_of(Enum value, const std::array<EnumName<Enum>, N>& names) {
    for (const auto& n : names)
        if (n.value == value) return n.name;
    throw std::logic_error("feature config: enum value without a name");
}

// Reads one JSON object, remembering which keys were used, so that finish() can reject any
// key it does not know (a typo must not silently fall back to a default).
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path) : object_(object), path_(std::move(path)) {
        if (!object_.is_object()) fail(where() + " must be a JSON object");
    }

    bool has(const char* key) const { return object_.contains(key); }

    const json* take(const char* key) {
        known_.insert(key);
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    void read(const char* key, int& out) {
        if (const json* v = take(key)) {
            if (!v->is_number_integer()) fail(name(key) + " must be an integer, not " + v->dump());
            const auto value = v->get<std::int64_t>();
            if (value < -1'000'000'000 || value > 1'000'000'000) fail(name(key) + " is out of range: " + v->dump());
            out = static_cast<int>(value);
        }
    }

    void read(const char* key, double& out) {
        if (const json* v = take(key)) {
            if (!v->is_number()) fail(name(key) + " must be a number, not " + v->dump());
            out = v->get<double>();
        }
    }

    void read(const char* key, bool& out) {
        if (const json* v = take(key)) {
            if (!v->is_boolean()) fail(name(key) + " must be true or false, not " + v->dump());
            out = v->get<bool>();
        }
    }

    // null means "not set".
    void read(const char* key, std::optional<double>& out) {
        if (const json* v = take(key)) {
            if (v->is_null()) {
                out.reset();
            } else if (v->is_number()) {
                out = v->get<double>();
            } else {
                fail(name(key) + " must be a number or null, not " + v->dump());
            }
        }
    }

    void read(const char* key, std::vector<std::string>& out) {
        if (const json* v = take(key)) {
            if (!v->is_array()) fail(name(key) + " must be an array of names, not " + v->dump());
            out.clear();
            for (const json& item : *v) {
                if (!item.is_string()) fail(name(key) + " must hold only strings, not " + item.dump());
                out.push_back(item.get<std::string>());
            }
        }
    }

    template <class Enum, std::size_t N>
    void read(const char* key, Enum& out, const std::array<EnumName<Enum>, N>& names) {
        if (const json* v = take(key)) {
            std::string choices;
            for (const auto& n : names) {
                if (v->is_string() && v->get<std::string>() == n.name) {
                    out = n.value;
                    return;
                }
                choices += choices.empty() ? "" : ", ";
                choices += std::string("\"") + n.name + "\"";
            }
            fail(name(key) + " must be one of " + choices + ", not " + v->dump());
        }
    }

    std::string name(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    void finish() const {
        for (const auto& [key, value] : object_.items()) {
            if (!known_.count(key)) {
                std::string choices;
                for (const auto& k : known_) choices += (choices.empty() ? "" : ", ") + k;
                fail("unknown key \"" + (path_.empty() ? key : path_ + "." + key) + "\" (known keys here: " +
                     choices + ")");
            }
        }
    }

private:
    std::string where() const { return path_.empty() ? "the config" : "\"" + path_ + "\""; }

    const json& object_;
    std::string path_;
    std::set<std::string> known_;
};

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

bool is_known_feature(const std::string& name, const FeatureConfig& config) {
    for (const auto& n : feature_names(config))
        if (n == name) return true;
    return false;
}

void require(bool ok, const std::string& message) {
    if (!ok) fail(message);
}

}  // namespace

std::vector<std::string> feature_names(const FeatureConfig& config) {
    std::vector<std::string> names(base_features.begin(), base_features.end());
    for (int order = 1; order <= config.deltas.order; ++order)
        for (const auto& base : config.deltas.of) names.push_back(base + (order == 1 ? "_delta" : "_delta2"));
    return names;
}

void validate(const FeatureConfig& c) {
    require(c.sample_rate >= 1000 && c.sample_rate <= 384000,
            "sample_rate " + std::to_string(c.sample_rate) + " must be between 1000 and 384000 Hz");
    const StftConfig& s = c.stft;
    require(s.n_fft >= 4 && s.n_fft <= 65536 && s.n_fft % 2 == 0,
            "stft.n_fft " + std::to_string(s.n_fft) + " must be even and between 4 and 65536");
    require(s.win_length >= 1 && s.win_length <= s.n_fft,
            "stft.win_length " + std::to_string(s.win_length) + " must be between 1 and stft.n_fft (" +
                std::to_string(s.n_fft) + ")");
    require(s.hop_length >= 1, "stft.hop_length must be at least 1");

    const double nyquist = c.sample_rate / 2.0;
    const MelConfig& m = c.mel;
    require(m.n_mels >= 1 && m.n_mels <= 1024, "mel.n_mels must be between 1 and 1024");
    require(std::isfinite(m.fmin) && m.fmin >= 0.0, "mel.fmin must be >= 0 Hz");
    const double fmax = m.fmax.value_or(nyquist);
    require(std::isfinite(fmax) && fmax > m.fmin && fmax <= nyquist,
            "mel.fmax must be above mel.fmin and at most sample_rate / 2 (" + std::to_string(nyquist) + " Hz)");
    require(std::isfinite(m.power) && m.power > 0.0 && m.power <= 4.0, "mel.power must be in (0, 4]");

    const DbConfig& d = c.db;
    require(std::isfinite(d.ref) && d.ref > 0.0, "db.ref must be a positive number");
    require(std::isfinite(d.amin) && d.amin > 0.0, "db.amin must be a positive number");
    require(!d.top_db || (std::isfinite(*d.top_db) && *d.top_db >= 0.0), "db.top_db must be >= 0 or null");

    require(c.mfcc.n_mfcc >= 1 && c.mfcc.n_mfcc <= m.n_mels, "mfcc.n_mfcc must be between 1 and mel.n_mels");
    require(std::isfinite(c.mfcc.lifter) && c.mfcc.lifter >= 0.0, "mfcc.lifter must be >= 0");

    const DeltaConfig& dl = c.deltas;
    require(dl.order >= 0 && dl.order <= 2, "deltas.order must be 0, 1 or 2");
    require(dl.width >= 3 && dl.width % 2 == 1 && dl.width <= 99, "deltas.width must be odd, between 3 and 99");
    std::set<std::string> delta_bases;
    for (const auto& base : dl.of) {
        require(std::find(base_features.begin(), base_features.end(), base) != base_features.end(),
                "deltas.of names \"" + base + "\", which is not a base feature (mel_power, mel_db, mfcc, chroma, zcr, rms)");
        require(delta_bases.insert(base).second, "deltas.of names \"" + base + "\" twice");
    }

    require(c.chroma.n_chroma >= 1 && c.chroma.n_chroma <= 120, "chroma.n_chroma must be between 1 and 120");
    require(!c.chroma.tuning || (std::isfinite(*c.chroma.tuning) && std::fabs(*c.chroma.tuning) <= 1.0),
            "chroma.tuning must be \"estimate\" or a number of bins in [-1, 1]");

    require(c.zcr.frame_length >= 2 && c.zcr.frame_length % 2 == 0 && c.zcr.frame_length <= 65536,
            "zcr.frame_length must be even and between 2 and 65536");
    require(std::isfinite(c.zcr.threshold) && c.zcr.threshold >= 0.0, "zcr.threshold must be >= 0");
    require(c.rms.frame_length >= 2 && c.rms.frame_length % 2 == 0 && c.rms.frame_length <= 65536,
            "rms.frame_length must be even and between 2 and 65536");
    // Features are stacked frame by frame, so they must all be framed alike.
    require(c.zcr.center == s.center && c.rms.center == s.center,
            "zcr.center and rms.center must equal stft.center (every feature must have the same frames)");
    if (!s.center) {
        require(c.zcr.frame_length == s.n_fft && c.rms.frame_length == s.n_fft,
                "without centring, zcr.frame_length and rms.frame_length must equal stft.n_fft "
                "(every feature must have the same frames)");
    }

    require(!c.input.features.empty(), "input.features must name at least one feature");
    std::set<std::string> seen;
    for (const auto& f : c.input.features) {
        require(is_known_feature(f, c), "input.features names \"" + f +
                                            "\", which this config does not compute (base features: mel_power, "
                                            "mel_db, mfcc, chroma, zcr, rms; deltas need deltas.order and deltas.of)");
        require(seen.insert(f).second, "input.features names \"" + f + "\" twice");
    }
}

json to_json(const FeatureConfig& c) {
    json j;
    j["sample_rate"] = c.sample_rate;
    j["stft"] = {{"n_fft", c.stft.n_fft},
                 {"win_length", c.stft.win_length},
                 {"hop_length", c.stft.hop_length},
                 {"window", name_of(c.stft.window, window_names)},
                 {"center", c.stft.center},
                 {"pad_mode", name_of(c.stft.pad_mode, pad_names)}};
    j["mel"] = {{"n_mels", c.mel.n_mels},
                {"fmin", c.mel.fmin},
                {"fmax", optional_number(c.mel.fmax)},
                {"scale", name_of(c.mel.scale, scale_names)},
                {"norm", name_of(c.mel.norm, norm_names)},
                {"power", c.mel.power}};
    j["db"] = {{"ref", c.db.ref},
               {"amin", c.db.amin},
               {"top_db", optional_number(c.db.top_db)},
               {"span", name_of(c.db.span, span_names)}};
    j["mfcc"] = {{"n_mfcc", c.mfcc.n_mfcc}, {"dct_norm", c.mfcc.ortho ? "ortho" : "none"}, {"lifter", c.mfcc.lifter}};
    j["deltas"] = {{"order", c.deltas.order}, {"width", c.deltas.width}, {"of", c.deltas.of}};
    j["chroma"] = {{"n_chroma", c.chroma.n_chroma},
                   {"input", name_of(c.chroma.input, chroma_input_names)},
                   {"tuning", c.chroma.tuning ? json(*c.chroma.tuning) : json("estimate")},
                   {"norm", c.chroma.normalize ? "max" : "none"}};
    j["zcr"] = {{"frame_length", c.zcr.frame_length},
                {"center", c.zcr.center},
                {"pad_mode", name_of(c.zcr.pad_mode, pad_names)},
                {"threshold", c.zcr.threshold}};
    j["rms"] = {{"frame_length", c.rms.frame_length},
                {"center", c.rms.center},
                {"pad_mode", name_of(c.rms.pad_mode, pad_names)}};
    j["input"] = {{"features", c.input.features}, {"pooling", name_of(c.input.pooling, pooling_names)}};
    return j;
}

FeatureConfig feature_config_from_json(const json& json_config) {
    FeatureConfig c;
    ObjectReader root(json_config, "");
    root.read("sample_rate", c.sample_rate);

    const json empty = json::object();
    auto section = [&](const char* key) {
        const json* v = root.take(key);
        return ObjectReader(v ? *v : empty, key);
    };

    ObjectReader stft = section("stft");
    stft.read("n_fft", c.stft.n_fft);
    c.stft.win_length = c.stft.n_fft;
    stft.read("win_length", c.stft.win_length);
    c.stft.hop_length = std::max(1, c.stft.win_length / 4);
    stft.read("hop_length", c.stft.hop_length);
    stft.read("window", c.stft.window, window_names);
    stft.read("center", c.stft.center);
    stft.read("pad_mode", c.stft.pad_mode, pad_names);
    stft.finish();

    ObjectReader mel = section("mel");
    mel.read("n_mels", c.mel.n_mels);
    mel.read("fmin", c.mel.fmin);
    mel.read("fmax", c.mel.fmax);
    mel.read("scale", c.mel.scale, scale_names);
    mel.read("norm", c.mel.norm, norm_names);
    mel.read("power", c.mel.power);
    mel.finish();

    ObjectReader db = section("db");
    db.read("ref", c.db.ref);
    db.read("amin", c.db.amin);
    db.read("top_db", c.db.top_db);
    db.read("span", c.db.span, span_names);
    db.finish();

    ObjectReader mfcc = section("mfcc");
    mfcc.read("n_mfcc", c.mfcc.n_mfcc);
    if (const json* v = mfcc.take("dct_norm")) {
        if (*v == "ortho" || *v == "none") {
            c.mfcc.ortho = *v == "ortho";
        } else {
            fail("mfcc.dct_norm must be \"ortho\" or \"none\", not " + v->dump());
        }
    }
    mfcc.read("lifter", c.mfcc.lifter);
    mfcc.finish();

    ObjectReader deltas = section("deltas");
    deltas.read("order", c.deltas.order);
    deltas.read("width", c.deltas.width);
    deltas.read("of", c.deltas.of);
    deltas.finish();

    ObjectReader chroma = section("chroma");
    chroma.read("n_chroma", c.chroma.n_chroma);
    chroma.read("input", c.chroma.input, chroma_input_names);
    if (const json* v = chroma.take("tuning")) {
        if (v->is_number()) {
            c.chroma.tuning = v->get<double>();
        } else if (*v == "estimate") {
            c.chroma.tuning.reset();
        } else {
            fail("chroma.tuning must be \"estimate\" or a number, not " + v->dump());
        }
    }
    if (const json* v = chroma.take("norm")) {
        if (*v == "max" || *v == "none") {
            c.chroma.normalize = *v == "max";
        } else {
            fail("chroma.norm must be \"max\" or \"none\", not " + v->dump());
        }
    }
    chroma.finish();

    ObjectReader zcr = section("zcr");
    c.zcr.frame_length = c.stft.n_fft;
    c.zcr.center = c.stft.center;
    zcr.read("frame_length", c.zcr.frame_length);
    zcr.read("center", c.zcr.center);
    zcr.read("pad_mode", c.zcr.pad_mode, pad_names);
    zcr.read("threshold", c.zcr.threshold);
    zcr.finish();

    ObjectReader rms = section("rms");
    c.rms.frame_length = c.stft.n_fft;
    c.rms.center = c.stft.center;
    rms.read("frame_length", c.rms.frame_length);
    rms.read("center", c.rms.center);
    rms.read("pad_mode", c.rms.pad_mode, pad_names);
    rms.finish();

    ObjectReader input = section("input");
    input.read("features", c.input.features);
    input.read("pooling", c.input.pooling, pooling_names);
    input.finish();

    root.finish();
    validate(c);
    return c;
}

FeatureConfig feature_preset(std::string_view name) {
    if (name == "librosa") {
        FeatureConfig c;  // the member defaults are librosa 0.11's
        c.input.features = {"mfcc"};
        return c;
    }
    if (name == "recipe162") {
        FeatureConfig c;
        c.chroma.input = ChromaInput::magnitude;  // the recipe calls chroma_stft(S=np.abs(stft))
        c.input.features = {"zcr", "chroma", "mfcc", "rms", "mel_power"};
        c.input.pooling = Pooling::mean;
        return c;
    }
    if (name == "default") {
        // Speech at 16 kHz for live use (docs/FEATURES.md says why each value).
        FeatureConfig c;
        c.sample_rate = 16000;
        c.stft = {.n_fft = 400, .win_length = 400, .hop_length = 160, .window = WindowKind::hann,
                  .center = false, .pad_mode = PadMode::constant};
        c.mel = {.n_mels = 64, .fmin = 50.0, .fmax = 8000.0, .scale = MelScale::slaney,
                 .norm = MelNorm::slaney, .power = 2.0};
        c.db = {.ref = 1.0, .amin = 1e-10, .top_db = 80.0, .span = DbSpan::frame};
        c.mfcc = {.n_mfcc = 40, .ortho = true, .lifter = 0.0};
        c.chroma.tuning = 0.0;
        c.zcr = {.frame_length = 400, .center = false, .pad_mode = PadMode::edge, .threshold = 1e-10};
        c.rms = {.frame_length = 400, .center = false, .pad_mode = PadMode::constant};
        c.input = {.features = {"mel_db"}, .pooling = Pooling::none};
        return c;
    }
    throw std::invalid_argument("unknown feature preset \"" + std::string(name) +
                                "\" (known: librosa, default, recipe162)");
}

std::vector<std::string> feature_preset_names() { return {"librosa", "default", "recipe162"}; }

}  // namespace ser
