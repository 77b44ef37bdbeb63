#include "features/feature_config.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

#include "json/json_reader.h"

namespace ser {
namespace {

using nlohmann::json;

constexpr std::array base_features = {"mel_power", "mel_db", "mfcc", "chroma", "zcr", "rms", "pitch", "periodicity"};

[[noreturn]] void fail(const std::string& message) {
    throw std::invalid_argument("feature config: " + message);
}

template <class Enum>
using EnumNames = std::initializer_list<std::pair<const char*, Enum>>;

constexpr EnumNames<WindowKind> window_names = {
    {"hann", WindowKind::hann}, {"hamming", WindowKind::hamming}, {"rectangular", WindowKind::rectangular}};
constexpr EnumNames<PadMode> pad_names = {
    {"constant", PadMode::constant}, {"edge", PadMode::edge}, {"reflect", PadMode::reflect}};
constexpr EnumNames<MelScale> scale_names = {{"slaney", MelScale::slaney}, {"htk", MelScale::htk}};
constexpr EnumNames<MelNorm> norm_names = {{"slaney", MelNorm::slaney}, {"none", MelNorm::none}};
constexpr EnumNames<DbSpan> span_names = {{"clip", DbSpan::clip}, {"frame", DbSpan::frame}};
constexpr EnumNames<ChromaInput> chroma_input_names = {{"power", ChromaInput::power},
                                                       {"magnitude", ChromaInput::magnitude}};
constexpr EnumNames<Pooling> pooling_names = {{"none", Pooling::none}, {"mean", Pooling::mean}};
constexpr EnumNames<bool> dct_norm_names = {{"ortho", true}, {"none", false}};
constexpr EnumNames<bool> chroma_norm_names = {{"max", true}, {"none", false}};

template <class Enum>
const char* name_of(Enum value, EnumNames<Enum> names) {
    for (const auto& [name, v] : names)
        if (v == value) return name;
    throw std::logic_error("feature config: enum value without a name");
}

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
                "deltas.of names \"" + base + "\", which is not a base feature (mel_power, mel_db, mfcc, chroma, zcr, rms, "
                "pitch, periodicity)");
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

    const PitchConfig& p = c.pitch;
    require(std::isfinite(p.fmin) && std::isfinite(p.fmax) && p.fmin > 0.0 && p.fmin < p.fmax,
            "pitch.fmin and pitch.fmax must be numbers with 0 < fmin < fmax");
    require(std::isfinite(p.threshold) && p.threshold > 0.0 && p.threshold < 1.0, "pitch.threshold must be in (0, 1)");

    require(!c.input.features.empty(), "input.features must name at least one feature");
    std::set<std::string> seen;
    for (const auto& f : c.input.features) {
        require(is_known_feature(f, c), "input.features names \"" + f +
                                            "\", which this config does not compute (base features: mel_power, "
                                            "mel_db, mfcc, chroma, zcr, rms, pitch, periodicity; deltas need "
                                            "deltas.order and deltas.of)");
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
    // Written where it matters, so the configs (and feature caches) of models without pitch stay as they were.
    const auto uses = [&c](const char* name) {
        return std::find(c.input.features.begin(), c.input.features.end(), name) != c.input.features.end();
    };
    if (uses("pitch") || uses("periodicity") || !(c.pitch == PitchConfig{}))
        j["pitch"] = {{"fmin", c.pitch.fmin}, {"fmax", c.pitch.fmax}, {"threshold", c.pitch.threshold}};
    j["input"] = {{"features", c.input.features}, {"pooling", name_of(c.input.pooling, pooling_names)}};
    return j;
}

FeatureConfig feature_config_from_json(const json& json_config) {
    FeatureConfig c;
    JsonReader root(json_config, "feature config");
    // Integers are held to a sane size here; validate() says what each one must be.
    constexpr long long huge = 1'000'000'000;
    c.sample_rate = root.integer("sample_rate", c.sample_rate, -huge, huge);

    JsonReader stft = root.section("stft");
    c.stft.n_fft = stft.integer("n_fft", c.stft.n_fft, -huge, huge);
    c.stft.win_length = stft.integer("win_length", c.stft.n_fft, -huge, huge);
    c.stft.hop_length = stft.integer("hop_length", std::max(1, c.stft.win_length / 4), -huge, huge);
    c.stft.window = stft.one_of("window", std::optional(c.stft.window), window_names);
    c.stft.center = stft.boolean("center", c.stft.center);
    c.stft.pad_mode = stft.one_of("pad_mode", std::optional(c.stft.pad_mode), pad_names);
    stft.finish();

    JsonReader mel = root.section("mel");
    c.mel.n_mels = mel.integer("n_mels", c.mel.n_mels, -huge, huge);
    c.mel.fmin = mel.number("fmin", c.mel.fmin);
    c.mel.fmax = mel.nullable_number("fmax", c.mel.fmax);
    c.mel.scale = mel.one_of("scale", std::optional(c.mel.scale), scale_names);
    c.mel.norm = mel.one_of("norm", std::optional(c.mel.norm), norm_names);
    c.mel.power = mel.number("power", c.mel.power);
    mel.finish();

    JsonReader db = root.section("db");
    c.db.ref = db.number("ref", c.db.ref);
    c.db.amin = db.number("amin", c.db.amin);
    c.db.top_db = db.nullable_number("top_db", c.db.top_db);
    c.db.span = db.one_of("span", std::optional(c.db.span), span_names);
    db.finish();

    JsonReader mfcc = root.section("mfcc");
    c.mfcc.n_mfcc = mfcc.integer("n_mfcc", c.mfcc.n_mfcc, -huge, huge);
    c.mfcc.ortho = mfcc.one_of("dct_norm", std::optional(c.mfcc.ortho), dct_norm_names);
    c.mfcc.lifter = mfcc.number("lifter", c.mfcc.lifter);
    mfcc.finish();

    JsonReader deltas = root.section("deltas");
    c.deltas.order = deltas.integer("order", c.deltas.order, -huge, huge);
    c.deltas.width = deltas.integer("width", c.deltas.width, -huge, huge);
    c.deltas.of = deltas.strings("of", c.deltas.of);
    deltas.finish();

    JsonReader chroma = root.section("chroma");
    c.chroma.n_chroma = chroma.integer("n_chroma", c.chroma.n_chroma, -huge, huge);
    c.chroma.input = chroma.one_of("input", std::optional(c.chroma.input), chroma_input_names);
    if (const json* v = chroma.find("tuning")) {
        if (v->is_number()) {
            c.chroma.tuning = v->get<double>();
        } else if (*v == "estimate") {
            c.chroma.tuning.reset();
        } else {
            chroma.fail_at("tuning", "must be \"estimate\" or a number, not " + JsonReader::shown(*v));
        }
    }
    c.chroma.normalize = chroma.one_of("norm", std::optional(c.chroma.normalize), chroma_norm_names);
    chroma.finish();

    JsonReader zcr = root.section("zcr");
    c.zcr.frame_length = zcr.integer("frame_length", c.stft.n_fft, -huge, huge);
    c.zcr.center = zcr.boolean("center", c.stft.center);
    c.zcr.pad_mode = zcr.one_of("pad_mode", std::optional(c.zcr.pad_mode), pad_names);
    c.zcr.threshold = zcr.number("threshold", c.zcr.threshold);
    zcr.finish();

    JsonReader rms = root.section("rms");
    c.rms.frame_length = rms.integer("frame_length", c.stft.n_fft, -huge, huge);
    c.rms.center = rms.boolean("center", c.stft.center);
    c.rms.pad_mode = rms.one_of("pad_mode", std::optional(c.rms.pad_mode), pad_names);
    rms.finish();

    JsonReader pitch = root.section("pitch");
    c.pitch.fmin = pitch.number("fmin", c.pitch.fmin);
    c.pitch.fmax = pitch.number("fmax", c.pitch.fmax);
    c.pitch.threshold = pitch.number("threshold", c.pitch.threshold);
    pitch.finish();

    JsonReader input = root.section("input");
    c.input.features = input.strings("features", c.input.features);
    c.input.pooling = input.one_of("pooling", std::optional(c.input.pooling), pooling_names);
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
