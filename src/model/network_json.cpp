#include "model/network_json.h"

#include <memory>
#include <string>

#include "json/json_reader.h"
#include "nn/layers.h"

namespace ser {
namespace {

using nlohmann::json;

constexpr std::initializer_list<std::pair<const char*, nn::Padding>> padding_names = {{"same", nn::Padding::same},
                                                                                      {"valid", nn::Padding::valid}};

const char* padding_name(nn::Padding p) { return p == nn::Padding::same ? "same" : "valid"; }

// Hyper-parameters are float32: the bounds are too, so a value written from a layer reads back.
float float_value(JsonReader& r, const char* key, std::optional<float> fallback, float lo, float hi) {
    return static_cast<float>(r.number(key, fallback, lo, hi));
}

std::unique_ptr<nn::Layer> layer_from(JsonReader& r) {
    r.require_object();
    const std::string type = r.string("type", {});
    constexpr int big = 1 << 20;
    std::unique_ptr<nn::Layer> layer;
    if (type == "conv1d") {
        auto l = std::make_unique<nn::Conv1D>();
        l->filters = r.integer("filters", {}, 1, big);
        l->kernel = r.integer("kernel", {}, 1, 1024);
        l->stride_ = r.integer("stride", 1, 1, 1024);
        l->dilation = r.integer("dilation", 1, 1, 1024);
        l->padding = r.one_of("padding", std::optional(nn::Padding::valid), padding_names);
        l->use_bias = r.boolean("use_bias", true);
        layer = std::move(l);
    } else if (type == "dense") {
        auto l = std::make_unique<nn::Dense>();
        l->units = r.integer("units", {}, 1, big);
        l->use_bias = r.boolean("use_bias", true);
        layer = std::move(l);
    } else if (type == "batchnorm") {
        auto l = std::make_unique<nn::BatchNorm>();
        l->momentum = float_value(r, "momentum", 0.1f, 0.0f, 1.0f);
        l->epsilon = float_value(r, "epsilon", 1e-5f, 1e-12f, 1.0f);
        layer = std::move(l);
    } else if (type == "relu" || type == "leaky_relu" || type == "gelu") {
        auto l = std::make_unique<nn::ActivationLayer>();
        l->kind = type == "relu" ? nn::Activation::relu : type == "gelu" ? nn::Activation::gelu : nn::Activation::leaky_relu;
        if (l->kind == nn::Activation::leaky_relu) l->alpha = float_value(r, "alpha", 0.01f, 0.0f, 1.0f);
        layer = std::move(l);
    } else if (type == "maxpool1d" || type == "avgpool1d") {
        auto l = std::make_unique<nn::Pool1D>();
        l->kind = type == "maxpool1d" ? nn::PoolKind::max : nn::PoolKind::average;
        l->pool = r.integer("pool", {}, 1, 1024);
        l->stride_ = r.integer("stride", l->pool, 1, 1024);
        l->padding = r.one_of("padding", std::optional(nn::Padding::valid), padding_names);
        layer = std::move(l);
    } else if (type == "global_avgpool" || type == "global_maxpool" || type == "stats_pool" ||
               type == "attention_pool") {
        auto l = std::make_unique<nn::GlobalPool>();
        l->kind = type == "global_avgpool"   ? nn::GlobalPoolKind::average
                  : type == "global_maxpool" ? nn::GlobalPoolKind::max
                  : type == "stats_pool"     ? nn::GlobalPoolKind::statistics
                                             : nn::GlobalPoolKind::attention;
        if (l->kind == nn::GlobalPoolKind::statistics) l->epsilon = float_value(r, "epsilon", 1e-5f, 1e-12f, 1.0f);
        layer = std::move(l);
    } else if (type == "dropout") {
        auto l = std::make_unique<nn::Dropout>();
        l->rate = float_value(r, "rate", {}, 0.0f, 0.99f);
        layer = std::move(l);
    } else if (type == "flatten") {
        layer = std::make_unique<nn::Flatten>();
    } else if (type == "softmax") {
        layer = std::make_unique<nn::Softmax>();
    } else {
        r.fail(r.path() + ": unknown layer type '" + type +
               "' (known: conv1d, dense, batchnorm, relu, leaky_relu, gelu, maxpool1d, avgpool1d, "
               "global_avgpool, global_maxpool, stats_pool, attention_pool, dropout, flatten, softmax)");
    }
    layer->name = r.string("name", "");  // empty: the network names it
    if (r.has("name") && layer->name.empty()) r.fail_at("name", "must be a non-empty string");
    r.finish();
    return layer;
}

}  // namespace

nn::Network network_from_json(const json& architecture) {
    JsonReader root(architecture, "network", KeyNaming::in_parent);
    JsonReader in = root.object("input");
    const nn::Shape input{in.integer("channels", {}, 1, 1 << 24), in.integer("time", {}, 1, 1 << 24)};
    in.finish();
    std::vector<std::unique_ptr<nn::Layer>> layers;
    for (JsonReader& spec : root.array("layers", false)) layers.push_back(layer_from(spec));
    root.finish();
    return nn::Network(input, std::move(layers));
}

json layer_to_json(const nn::Layer& layer) {
    json j{{"type", layer.type()}, {"name", layer.name}};
    if (const auto* l = dynamic_cast<const nn::Conv1D*>(&layer)) {
        j.update({{"filters", l->filters}, {"kernel", l->kernel}, {"stride", l->stride_}, {"dilation", l->dilation},
                  {"padding", padding_name(l->padding)}, {"use_bias", l->use_bias}});
    } else if (const auto* d = dynamic_cast<const nn::Dense*>(&layer)) {
        j.update({{"units", d->units}, {"use_bias", d->use_bias}});
    } else if (const auto* b = dynamic_cast<const nn::BatchNorm*>(&layer)) {
        j.update({{"momentum", b->momentum}, {"epsilon", b->epsilon}});
    } else if (const auto* a = dynamic_cast<const nn::ActivationLayer*>(&layer)) {
        if (a->kind == nn::Activation::leaky_relu) j["alpha"] = a->alpha;
    } else if (const auto* p = dynamic_cast<const nn::Pool1D*>(&layer)) {
        j.update({{"pool", p->pool}, {"stride", p->stride_}, {"padding", padding_name(p->padding)}});
    } else if (const auto* g = dynamic_cast<const nn::GlobalPool*>(&layer)) {
        if (g->kind == nn::GlobalPoolKind::statistics) j["epsilon"] = g->epsilon;
    } else if (const auto* r = dynamic_cast<const nn::Dropout*>(&layer)) {
        j["rate"] = r->rate;
    }
    return j;
}

json network_to_json(const nn::Network& network) {
    json layers = json::array();
    for (const auto& l : network.layers()) layers.push_back(layer_to_json(*l));
    const nn::Shape in = network.input_shape();
    return {{"input", {{"channels", in.channels}, {"time", in.time}}}, {"layers", layers}};
}

}  // namespace ser
