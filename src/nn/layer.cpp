#include "nn/layer.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "nn/layers.h"

namespace ser::nn {

std::string Layer::where() const {
    return "layer " + std::to_string(index) + " '" + name + "' (" + type() + ")";
}

Window window_geometry(int time, int extent, int stride, Padding padding) {
    Window w;
    if (padding == Padding::valid) {
        w.out = time >= extent ? (time - extent) / stride + 1 : 0;
        w.padded = time;
        return w;
    }
    w.out = (time + stride - 1) / stride;
    const int total = std::max((w.out - 1) * stride + extent - time, 0);
    w.pad_left = total / 2;
    w.padded = time + total;
    return w;
}

namespace {

// Reads a layer-list entry and insists every key is used, so a typo is an error rather
// than a silently ignored setting.
class SpecReader {
public:
    SpecReader(const nlohmann::json& spec, int index) : spec_(spec), index_(index) {
        if (!spec.is_object()) fail("must be a JSON object");
        used_.insert("type");
        used_.insert("name");
    }

    int integer(const char* key, std::optional<int> fallback, int lo, int hi) {
        const auto* v = find(key);
        if (!v) return required(key, fallback);
        if (!v->is_number_integer()) fail(std::string("'") + key + "' must be an integer");
        const auto x = v->get<long long>();
        if (x < lo || x > hi)
            fail(std::string("'") + key + "' = " + std::to_string(x) + " is out of range [" + std::to_string(lo) +
                 ", " + std::to_string(hi) + "]");
        return static_cast<int>(x);
    }
    float number(const char* key, std::optional<float> fallback, float lo, float hi) {
        const auto* v = find(key);
        if (!v) return required(key, fallback);
        if (!v->is_number()) fail(std::string("'") + key + "' must be a number");
        const double x = v->get<double>();
        if (!(x >= lo && x <= hi))
            fail(std::string("'") + key + "' = " + v->dump() + " is out of range [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]");
        return static_cast<float>(x);
    }
    bool boolean(const char* key, bool fallback) {
        const auto* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(std::string("'") + key + "' must be true or false");
        return v->get<bool>();
    }
    Padding padding() {
        const auto* v = find("padding");
        if (!v) return Padding::valid;
        if (v->is_string() && v->get<std::string>() == "same") return Padding::same;
        if (v->is_string() && v->get<std::string>() == "valid") return Padding::valid;
        fail("'padding' must be \"same\" or \"valid\", not " + v->dump());
    }
    void finish() const {
        for (const auto& [key, value] : spec_.items())
            if (!used_.count(key)) fail("unknown key '" + key + "'");
    }
    [[noreturn]] void fail(const std::string& what) const {
        std::string type = spec_.is_object() && spec_.contains("type") ? spec_["type"].dump() : "?";
        throw std::invalid_argument("layer " + std::to_string(index_) + " (type " + type + "): " + what);
    }

private:
    const nlohmann::json* find(const char* key) {
        used_.insert(key);
        auto it = spec_.find(key);
        return it == spec_.end() ? nullptr : &*it;
    }
    template <class T>
    T required(const char* key, std::optional<T> fallback) {
        if (!fallback) fail(std::string("missing required key '") + key + "'");
        return *fallback;
    }

    const nlohmann::json& spec_;
    int index_;
    std::set<std::string> used_;
};

}  // namespace

std::unique_ptr<Layer> make_layer(const nlohmann::json& spec, int index) {
    SpecReader r(spec, index);
    if (!spec.contains("type") || !spec["type"].is_string()) r.fail("missing string key 'type'");
    const std::string type = spec["type"].get<std::string>();
    constexpr int big = 1 << 20;
    std::unique_ptr<Layer> layer;

    if (type == "conv1d") {
        auto l = std::make_unique<Conv1D>();
        l->filters = r.integer("filters", {}, 1, big);
        l->kernel = r.integer("kernel", {}, 1, 1024);
        l->stride_ = r.integer("stride", 1, 1, 1024);
        l->dilation = r.integer("dilation", 1, 1, 1024);
        l->padding = r.padding();
        l->use_bias = r.boolean("use_bias", true);
        layer = std::move(l);
    } else if (type == "dense") {
        auto l = std::make_unique<Dense>();
        l->units = r.integer("units", {}, 1, big);
        l->use_bias = r.boolean("use_bias", true);
        layer = std::move(l);
    } else if (type == "batchnorm") {
        auto l = std::make_unique<BatchNorm>();
        l->momentum = r.number("momentum", 0.1f, 0.0f, 1.0f);
        l->epsilon = r.number("epsilon", 1e-5f, 1e-12f, 1.0f);
        layer = std::move(l);
    } else if (type == "relu" || type == "leaky_relu" || type == "gelu") {
        auto l = std::make_unique<ActivationLayer>();
        l->kind = type == "relu" ? Activation::relu : type == "gelu" ? Activation::gelu : Activation::leaky_relu;
        if (l->kind == Activation::leaky_relu) l->alpha = r.number("alpha", 0.01f, 0.0f, 1.0f);
        layer = std::move(l);
    } else if (type == "maxpool1d" || type == "avgpool1d") {
        auto l = std::make_unique<Pool1D>();
        l->kind = type == "maxpool1d" ? PoolKind::max : PoolKind::average;
        l->pool = r.integer("pool", {}, 1, 1024);
        l->stride_ = r.integer("stride", l->pool, 1, 1024);
        l->padding = r.padding();
        layer = std::move(l);
    } else if (type == "global_avgpool" || type == "global_maxpool" || type == "stats_pool" ||
               type == "attention_pool") {
        auto l = std::make_unique<GlobalPool>();
        l->kind = type == "global_avgpool"   ? GlobalPoolKind::average
                  : type == "global_maxpool" ? GlobalPoolKind::max
                  : type == "stats_pool"     ? GlobalPoolKind::statistics
                                             : GlobalPoolKind::attention;
        if (l->kind == GlobalPoolKind::statistics) l->epsilon = r.number("epsilon", 1e-5f, 1e-12f, 1.0f);
        layer = std::move(l);
    } else if (type == "dropout") {
        auto l = std::make_unique<Dropout>();
        l->rate = r.number("rate", {}, 0.0f, 0.99f);
        layer = std::move(l);
    } else if (type == "flatten") {
        layer = std::make_unique<Flatten>();
    } else if (type == "softmax") {
        layer = std::make_unique<Softmax>();
    } else {
        r.fail("unknown layer type '" + type +
               "' (known: conv1d, dense, batchnorm, relu, leaky_relu, gelu, maxpool1d, avgpool1d, "
               "global_avgpool, global_maxpool, stats_pool, attention_pool, dropout, flatten, softmax)");
    }
    r.finish();

    layer->index = index;
    if (spec.contains("name")) {
        if (!spec["name"].is_string() || spec["name"].get<std::string>().empty())
            r.fail("'name' must be a non-empty string");
        layer->name = spec["name"].get<std::string>();
    } else {
        layer->name = type + "_" + std::to_string(index);
    }
    return layer;
}

}  // namespace ser::nn
