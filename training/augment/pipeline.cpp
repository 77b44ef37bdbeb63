#include "training/augment/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "audio/pcm_checks.h"
#include "training/augment/noise.h"
#include "training/augment/pitch_shift.h"
#include "training/augment/reverb.h"
#include "training/augment/telephone.h"
#include "training/augment/time_stretch.h"
#include "training/rng.h"

namespace ser {

namespace {

using Type = AugmentationStep::Type;

struct StepSchema {
    Type type;
    const char* name;
    const char* amount_key;
    double min, max;
};

constexpr StepSchema schemas[] = {
    {Type::noise, "noise", "snr_db", -20.0, 100.0},    {Type::gain, "gain", "db", -60.0, 60.0},
    {Type::shift, "shift", "seconds", -10.0, 10.0},    {Type::stretch, "stretch", "factor", 0.25, 4.0},
    {Type::pitch, "pitch", "semitones", -12.0, 12.0},  {Type::reverb, "reverb", "rt60_s", 0.05, 3.0},
    {Type::pad, "pad", "seconds", 0.0, 10.0},          {Type::phone, "phone", "rate_hz", 4000.0, 16000.0},
    {Type::opus, "opus", "kbps", 6.0, 256.0},
};

const StepSchema& schema_of(Type type) {
    for (const auto& schema : schemas)
        if (schema.type == type) return schema;
    throw std::logic_error("augmentation step type without a schema");
}

const char* noise_sources[] = {"white", "pink", "brown", "recording"};

std::vector<std::string> allowed_keys(const StepSchema& schema) {
    std::vector<std::string> keys = {"type", "probability", schema.amount_key};
    if (schema.type == Type::noise) keys.emplace_back("sources");
    if (schema.type == Type::shift) keys.emplace_back("mode");
    if (schema.type == Type::reverb) keys.emplace_back("drr_db");
    return keys;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

class StepReader {
public:
    StepReader(std::size_t index, std::string type) : where_("augmentation step " + std::to_string(index + 1) + " (" + type + ")") {}

    [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(where_ + ": " + what); }

    double number(const nlohmann::json& value, const std::string& key) const {
        if (!value.is_number()) fail("'" + key + "' must be a number, not " + value.dump());
        const double v = value.get<double>();
        if (!std::isfinite(v)) fail("'" + key + "' must be finite");
        return v;
    }

    AmountRange range(const nlohmann::json& value, const std::string& key, double min, double max) const {
        AmountRange range;
        if (value.is_array()) {
            if (value.size() != 2) fail("'" + key + "' must be a number or [low, high], not " + value.dump());
            range = {number(value[0], key), number(value[1], key)};
        } else {
            range.low = range.high = number(value, key);
        }
        if (range.low > range.high) fail("'" + key + "' has low > high: " + value.dump());
        if (range.low < min || range.high > max)
            fail("'" + key + "' must lie within [" + format(min) + ", " + format(max) + "], not " + value.dump());
        return range;
    }

private:
    static std::string format(double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", v);
        return text;
    }
    std::string where_;
};

AugmentationStep read_step(const nlohmann::json& json, std::size_t index) {
    if (!json.is_object()) StepReader(index, "?").fail("must be an object, not " + json.dump());
    if (!json.contains("type") || !json["type"].is_string()) StepReader(index, "?").fail("needs a \"type\" string");
    const std::string type = json["type"].get<std::string>();
    const StepReader reader(index, type);
    const auto schema = std::find_if(std::begin(schemas), std::end(schemas), [&](const StepSchema& s) { return type == s.name; });
    if (schema == std::end(schemas))
        reader.fail("unknown type: use noise, gain, shift, stretch, pitch, reverb, pad, phone or opus");

    const auto keys = allowed_keys(*schema);
    for (const auto& [key, value] : json.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            reader.fail("unknown key '" + key + "' (allowed: " + joined(keys) + ")");

    AugmentationStep step;
    step.type = schema->type;
    if (json.contains("probability")) {
        step.probability = reader.number(json["probability"], "probability");
        if (step.probability < 0.0 || step.probability > 1.0) reader.fail("'probability' must lie within [0, 1]");
    }
    if (!json.contains(schema->amount_key)) reader.fail(std::string("needs '") + schema->amount_key + "'");
    step.amount = reader.range(json[schema->amount_key], schema->amount_key, schema->min, schema->max);

    if (step.type == Type::noise) {
        step.sources = {"white"};
        if (json.contains("sources")) {
            const auto& sources = json["sources"];
            if (!sources.is_array() || sources.empty()) reader.fail("'sources' must be a non-empty list");
            step.sources.clear();
            for (const auto& source : sources) {
                if (!source.is_string() || std::find(std::begin(noise_sources), std::end(noise_sources),
                                                     source.get<std::string>()) == std::end(noise_sources))
                    reader.fail("unknown noise source " + source.dump() + " (use white, pink, brown or recording)");
                step.sources.push_back(source.get<std::string>());
            }
        }
    }
    if (step.type == Type::shift && json.contains("mode")) {
        if (!json["mode"].is_string()) reader.fail("'mode' must be \"circular\" or \"padded\"");
        try {
            step.mode = parse_shift_mode(json["mode"].get<std::string>());
        } catch (const std::invalid_argument& e) {
            reader.fail(e.what());
        }
    }
    if (step.type == Type::reverb && json.contains("drr_db")) step.drr_db = reader.range(json["drr_db"], "drr_db", -20.0, 40.0);
    return step;
}

nlohmann::json range_json(const AmountRange& range) {
    if (range.low == range.high) return range.low;
    return nlohmann::json::array({range.low, range.high});
}

double draw(const AmountRange& range, Rng& rng) { return range.low == range.high ? range.low : rng.uniform(range.low, range.high); }

}  // namespace

AugmentationConfig augmentation_config_from_json(const nlohmann::json& json) {
    if (!json.is_object()) throw std::invalid_argument("the augmentation config must be a JSON object with \"steps\"");
    for (const auto& [key, value] : json.items())
        if (key != "steps") throw std::invalid_argument("augmentation config: unknown key '" + key + "' (allowed: steps)");
    if (!json.contains("steps") || !json["steps"].is_array())
        throw std::invalid_argument("augmentation config: \"steps\" must be a list of steps");
    AugmentationConfig config;
    for (std::size_t i = 0; i < json["steps"].size(); ++i) config.steps.push_back(read_step(json["steps"][i], i));
    return config;
}

nlohmann::json to_json(const AugmentationConfig& config) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : config.steps) {
        const StepSchema& schema = schema_of(step.type);
        nlohmann::json j = {{"type", schema.name}, {"probability", step.probability}};
        j[schema.amount_key] = range_json(step.amount);
        if (step.type == Type::noise) j["sources"] = step.sources;
        if (step.type == Type::shift) j["mode"] = std::string(shift_mode_name(step.mode));
        if (step.type == Type::reverb) j["drr_db"] = range_json(step.drr_db);
        steps.push_back(std::move(j));
    }
    return {{"steps", steps}};
}

std::uint64_t augmentation_seed(std::uint64_t run_seed, std::uint64_t epoch, std::uint64_t item) {
    return mix_seed(mix_seed(run_seed, epoch), item);
}

AugmentationPipeline::AugmentationPipeline(AugmentationConfig config, int sample_rate,
                                           std::vector<std::vector<float>> noise_recordings)
    : config_(std::move(config)), sample_rate_(sample_rate), noise_recordings_(std::move(noise_recordings)) {
    if (sample_rate < 8000 || sample_rate > 192000)
        throw std::invalid_argument("augmentation: unsupported sample rate " + std::to_string(sample_rate));
    for (std::size_t i = 0; i < noise_recordings_.size(); ++i) {
        if (noise_recordings_[i].empty())
            throw std::invalid_argument("augmentation: noise recording " + std::to_string(i + 1) + " is empty");
        require_usable_pcm(noise_recordings_[i], "noise recording " + std::to_string(i + 1));
    }
    for (std::size_t s = 0; s < config_.steps.size(); ++s) {
        const auto& sources = config_.steps[s].sources;
        if (std::find(sources.begin(), sources.end(), "recording") != sources.end() && noise_recordings_.empty())
            throw std::invalid_argument("augmentation step " + std::to_string(s + 1) +
                                        " (noise) lists \"recording\" but no noise recordings were given: "
                                        "give some or remove that source");
    }
}

std::vector<float> AugmentationPipeline::apply(std::span<const float> pcm, std::uint64_t seed) const {
    std::vector<float> audio(pcm.begin(), pcm.end());
    if (audio.empty()) return audio;
    for (std::size_t s = 0; s < config_.steps.size(); ++s) {
        const AugmentationStep& step = config_.steps[s];
        // One stream per step: whether an earlier step ran does not change what this one draws.
        Rng rng(mix_seed(seed, s));
        if (!(rng.uniform() < step.probability)) continue;
        const double amount = draw(step.amount, rng);
        switch (step.type) {
            case Type::noise: {
                const std::string& source = step.sources[rng.below(step.sources.size())];
                std::vector<float> noise;
                if (source == "recording") {
                    const auto& recording = noise_recordings_[rng.below(noise_recordings_.size())];
                    noise = noise_segment(recording, audio.size(), rng.below(recording.size()));
                } else {
                    noise = coloured_noise(audio.size(), parse_noise_colour(source), rng);
                }
                audio = add_noise(audio, noise, amount);
                break;
            }
            case Type::gain: audio = apply_gain(audio, amount); break;
            case Type::shift:
                audio = time_shift(audio, std::llround(amount * sample_rate_), step.mode);
                break;
            case Type::stretch: audio = time_stretch(audio, sample_rate_, amount); break;
            case Type::pitch: audio = pitch_shift(audio, sample_rate_, semitones_to_ratio(amount)); break;
            case Type::reverb: {
                const RoomSettings room{amount, draw(step.drr_db, rng)};
                audio = reverberate(audio, synthetic_rir(sample_rate_, room, rng));
                break;
            }
            case Type::pad: audio = pad_silence(audio, static_cast<std::size_t>(std::llround(amount * sample_rate_))); break;
            case Type::phone: audio = telephone_band(audio, sample_rate_, static_cast<int>(std::lround(amount))); break;
            case Type::opus: audio = opus_round_trip(audio, sample_rate_, static_cast<int>(std::lround(amount))); break;
        }
    }
    return audio;
}

}  // namespace ser
