#include "training/augment/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "audio/pcm_checks.h"
#include "audio/silence.h"
#include "json/json_reader.h"
#include "nn/rng.h"
#include "training/augment/noise.h"
#include "training/augment/pitch_shift.h"
#include "training/augment/reverb.h"
#include "training/augment/telephone.h"
#include "training/augment/time_stretch.h"

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
    {Type::opus, "opus", "kbps", 6.0, 256.0},          {Type::speed, "speed", "factor", 0.5, 2.0},
};

const StepSchema& schema_of(Type type) {
    for (const auto& schema : schemas)
        if (schema.type == type) return schema;
    throw std::logic_error("augmentation step type without a schema");
}

const char* noise_sources[] = {"white", "pink", "brown", "recording"};

std::string format(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

// An amount: one number, or [low, high] drawn from uniformly per clip.
AmountRange read_range(JsonReader& r, const char* key, double min, double max) {
    const nlohmann::json& value = r.need(key);
    auto fail = [&](const std::string& what) { r.fail(std::string("'") + key + "' " + what); };
    auto number = [&](const nlohmann::json& v) {
        if (!v.is_number()) fail("must be a number, not " + JsonReader::shown(value));
        if (!std::isfinite(v.get<double>())) fail("must be finite");
        return v.get<double>();
    };
    AmountRange range;
    if (value.is_array()) {
        if (value.size() != 2) fail("must be a number or [low, high], not " + JsonReader::shown(value));
        range = {number(value[0]), number(value[1])};
    } else {
        range.low = range.high = number(value);
    }
    if (range.low > range.high) fail("has low > high: " + JsonReader::shown(value));
    if (range.low < min || range.high > max)
        fail("must lie within [" + format(min) + ", " + format(max) + "], not " + JsonReader::shown(value));
    return range;
}

// Messages name the step as "augmentation step 2 (noise)".
AugmentationStep read_step(const nlohmann::json& json, std::size_t index) {
    const std::string type = json.is_object() && json.contains("type") && json["type"].is_string() ? json["type"].get<std::string>() : "?";
    JsonReader r(json, "augmentation step " + std::to_string(index + 1) + " (" + type + ")", KeyNaming::in_parent);
    if (type == "?") r.fail("needs a \"type\" string");
    r.find("type");
    const auto schema = std::find_if(std::begin(schemas), std::end(schemas), [&](const StepSchema& s) { return type == s.name; });
    if (schema == std::end(schemas)) r.fail("unknown type: use noise, gain, shift, stretch, pitch, speed, reverb, pad, phone or opus");

    AugmentationStep step;
    step.type = schema->type;
    step.probability = r.number("probability", 1.0, 0.0, 1.0);
    if (!r.has(schema->amount_key)) r.fail(std::string("needs '") + schema->amount_key + "'");
    step.amount = read_range(r, schema->amount_key, schema->min, schema->max);
    if (step.type == Type::noise) {
        step.sources = r.strings("sources", std::vector<std::string>{"white"});
        if (step.sources.empty()) r.fail("'sources' must be a non-empty list");
        for (const auto& source : step.sources)
            if (std::find(std::begin(noise_sources), std::end(noise_sources), source) == std::end(noise_sources))
                r.fail("unknown noise source \"" + source + "\" (use white, pink, brown or recording)");
    }
    if (step.type == Type::shift) {
        try {
            step.mode = parse_shift_mode(r.string("mode", std::string(shift_mode_name(step.mode))));
        } catch (const JsonReadError&) {
            throw;
        } catch (const std::invalid_argument& e) {
            r.fail(e.what());
        }
    }
    if (step.type == Type::reverb && r.find("drr_db")) step.drr_db = read_range(r, "drr_db", -20.0, 40.0);
    r.finish();
    return step;
}

nlohmann::json range_json(const AmountRange& range) {
    if (range.low == range.high) return range.low;
    return nlohmann::json::array({range.low, range.high});
}

double draw(const AmountRange& range, nn::Rng& rng) { return range.low == range.high ? range.low : rng.uniform(range.low, range.high); }

}  // namespace

AugmentationConfig augmentation_config_from_json(const nlohmann::json& json) {
    JsonReader r(json, "augmentation config", KeyNaming::in_parent);
    const nlohmann::json* steps = r.find("steps");
    r.finish();
    if (!steps || !steps->is_array()) r.fail("\"steps\" must be a list of steps");
    AugmentationConfig config;
    for (std::size_t i = 0; i < steps->size(); ++i) config.steps.push_back(read_step((*steps)[i], i));
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
    return nn::mix_seed(nn::mix_seed(run_seed, epoch), item);
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
        nn::Rng rng(nn::mix_seed(seed, s));
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
            case Type::speed: audio = change_speed(audio, sample_rate_, amount); break;
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
