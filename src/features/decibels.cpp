#include "features/decibels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace ser {

void power_to_db(const Matrix& power, const DbConfig& config, Matrix& db) {
    db.resize(power.rows, power.cols);
    // 10 log10(x) as (10 / ln 10) ln(x): within an ulp of it, and twice as fast under WASM.
    const double db_per_neper = 10.0 / std::numbers::ln10;
    const double offset = db_per_neper * std::log(std::max(config.amin, config.ref));
    for (std::size_t i = 0; i < power.values.size(); ++i)
        db.values[i] = db_per_neper * std::log(std::max(config.amin, power.values[i])) - offset;
    if (!config.top_db || db.values.empty()) return;

    const double top_db = *config.top_db;
    if (config.span == DbSpan::clip) {
        const double floor = *std::max_element(db.values.begin(), db.values.end()) - top_db;
        for (double& v : db.values) v = std::max(v, floor);
        return;
    }
    for (int t = 0; t < db.cols; ++t) {
        double peak = -std::numeric_limits<double>::infinity();
        for (int r = 0; r < db.rows; ++r) peak = std::max(peak, db.at(r, t));
        for (int r = 0; r < db.rows; ++r) db.at(r, t) = std::max(db.at(r, t), peak - top_db);
    }
}

}  // namespace ser
