#pragma once
// The optimiser and learning-rate schedule settings of a training config
// ("training.optimizer", "training.schedule"; docs/TRAINING.md), read strictly and written
// back. The engine's structs (src/nn) know no JSON.

#include <nlohmann/json.hpp>

#include "json/json_reader.h"
#include "nn/optimizer.h"
#include "nn/schedule.h"

namespace ser {

// Read from a section of a larger document: messages name its path.
nn::OptimizerConfig read_optimizer_config(JsonReader settings);
nn::ScheduleConfig read_schedule_config(JsonReader settings);

// Stand-alone documents. Strict: unknown keys, wrong types and out-of-range values throw
// std::invalid_argument naming the key.
nn::OptimizerConfig optimizer_config_from_json(const nlohmann::json& json);
nn::ScheduleConfig schedule_config_from_json(const nlohmann::json& json);

nlohmann::json to_json(const nn::OptimizerConfig& config);
nlohmann::json to_json(const nn::ScheduleConfig& config);

}  // namespace ser
