#pragma once
// `ser eval --adapt-shots K,...`: the few-shot adaptation measurement (training/adapt_eval.h)
// with its progress bars and its report, text or JSON.

#include <string>

#include "cli/data_options.h"
#include "model/adapt.h"
#include "training/dataset.h"
#include "training/training_config.h"

namespace ser::cli {

struct AdaptEvalRequest {
    std::string shots;    // "1,2,4"
    std::string methods;  // "norm+head" or several, comma-separated
    std::string protocol; // the split plan's protocol
    std::string out;      // also write the JSON here (may be empty)
    bool json = false;    // print JSON instead of text
    std::string resume;   // keep each fold's model here and read it back instead of training it again
    int steps = AdaptOptions{}.steps;  // of each adaptation
};

void run_adapt_eval(const DataOptions& data, const TrainingConfig& config, const ClipSet& clips, const AdaptEvalRequest& request);
// `ser eval --model M --adapt-shots K,...`: adapts the model itself to every speaker in the
// data that it was not trained on (request.protocol is ignored).
void run_adapt_eval_model(const DataOptions& data, const std::string& model_path, const AdaptEvalRequest& request);

}  // namespace ser::cli
