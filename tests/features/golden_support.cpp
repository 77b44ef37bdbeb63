#include "golden_support.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

#include "support/test_support.h"

namespace ser::test {

nlohmann::json load_golden(const std::string& name) {
    const auto path = shared_dir() / "golden" / "librosa-0.11.0" / (name + ".json");
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    return nlohmann::json::parse(in);
}

std::vector<float> golden_samples(const nlohmann::json& golden) {
    return golden.at("samples_float32").get<std::vector<float>>();
}

FeatureConfig golden_config(const nlohmann::json& golden) {
    const auto& g = golden.at("config");
    FeatureConfig c;
    if (g.at("sr") == 22050) {
        c = feature_preset("librosa");
    } else {
        std::ifstream in(source_dir() / "tests" / "features" / "data" / "speech16k.json");
        c = feature_config_from_json(nlohmann::json::parse(in));
    }
    REQUIRE(c.sample_rate == g.at("sr").get<int>());
    REQUIRE(c.stft.n_fft == g.at("n_fft").get<int>());
    REQUIRE(c.stft.hop_length == g.at("hop_length").get<int>());
    REQUIRE(c.stft.win_length == g.at("win_length").get<int>());
    REQUIRE(c.stft.center == g.at("center").get<bool>());
    REQUIRE(c.mel.n_mels == g.at("n_mels").get<int>());
    REQUIRE(c.mel.fmin == g.at("fmin").get<double>());
    if (g.at("fmax").is_null()) {
        REQUIRE(!c.mel.fmax.has_value());
    } else {
        REQUIRE(c.mel.fmax == g.at("fmax").get<double>());
    }
    REQUIRE(c.mfcc.n_mfcc == g.at("n_mfcc").get<int>());
    REQUIRE(c.mel.power == g.at("power").get<double>());
    REQUIRE(c.db.ref == g.at("db").at("ref").get<double>());
    REQUIRE(c.db.amin == g.at("db").at("amin").get<double>());
    REQUIRE(c.db.top_db == g.at("db").at("top_db").get<double>());
    REQUIRE(c.db.span == DbSpan::clip);
    REQUIRE(c.zcr.pad_mode == PadMode::edge);
    REQUIRE(c.rms.pad_mode == PadMode::constant);
    REQUIRE(c.stft.pad_mode == PadMode::constant);
    return c;
}

std::vector<std::vector<double>> as_rows(const nlohmann::json& array) {
    std::vector<std::vector<double>> rows;
    if (!array.empty() && array.front().is_number()) {
        rows.push_back(array.get<std::vector<double>>());  // a 1-D feature is one row
    } else {
        for (const auto& row : array) rows.push_back(row.get<std::vector<double>>());
    }
    return rows;
}

Errors compare(const FeatureMatrix& actual, const nlohmann::json& expected) {
    const auto rows = as_rows(expected);
    REQUIRE(actual.rows == static_cast<int>(rows.size()));
    Errors e;
    for (int r = 0; r < actual.rows; ++r) {
        REQUIRE(actual.cols == static_cast<int>(rows[static_cast<std::size_t>(r)].size()));
        for (int c = 0; c < actual.cols; ++c) {
            const double want = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            const double err = std::fabs(actual.at(r, c) - want);
            if (err > e.max_abs) {
                e.max_abs = err;
                e.worst_row = r;
                e.worst_col = c;
            }
            if (want != 0.0) e.max_rel = std::max(e.max_rel, err / std::fabs(want));
        }
    }
    return e;
}

}  // namespace ser::test
