#pragma once
// What the model panel shows about the loaded model, read once from its file: labels, what it
// listens to, how it was trained and evaluated, and its confusion matrix. `training` is a
// free-form record (docs/MODEL_FORMAT.md), so every field is optional and a field of an
// unexpected type is left out rather than trusted.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"

namespace ser::app {

struct ModelCard {
    std::vector<std::string> labels;
    std::size_t parameters = 0;
    std::string input;        // e.g. "mel_db (64 rows) at 16000 Hz, windows of 2.00 s every 0.25 s"
    std::vector<std::string> training_data;  // one line per corpus
    std::string files_per_label;             // "angry 192, calm 192, ..."
    std::string protocol;                    // how it was evaluated
    std::vector<std::pair<std::string, std::string>> metrics;  // name, value ("0.612 ± 0.041")
    std::string caveat;
    std::vector<std::string> confusion_labels;    // row/column order of `confusion`
    std::vector<std::vector<double>> confusion;   // [true][predicted] counts
    std::vector<std::pair<std::string, std::string>> facts;  // date, version, seed, ...
};

ModelCard model_card(const Model& model);

// Each row of `counts` divided by its sum (a row without examples stays zero).
std::vector<std::vector<double>> row_shares(const std::vector<std::vector<double>>& counts);

}  // namespace ser::app
