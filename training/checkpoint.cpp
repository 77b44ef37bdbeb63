#include "training/checkpoint.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "io/atomic_file.h"
#include "model/base64.h"
#include "model/json_text.h"

namespace ser {

namespace {

using nlohmann::json;

constexpr const char* format_name = "ser-checkpoint";
constexpr int format_version = 1;

json encode(const std::vector<std::vector<float>>& tensors) {
    json list = json::array();
    for (const auto& t : tensors) list.push_back(base64_encode(floats_to_le_bytes(t)));
    return list;
}

std::vector<std::vector<float>> decode(const json& list) {
    std::vector<std::vector<float>> tensors;
    for (const auto& item : list) tensors.push_back(le_bytes_to_floats(base64_decode(item.get<std::string>())));
    return tensors;
}

json optimizer_json(const nn::Optimizer::State& state) {
    return {{"steps", state.steps}, {"m", encode(state.m)}, {"v", encode(state.v)}};
}

nn::Optimizer::State optimizer_from_json(const json& j) {
    return {j.at("steps").get<long long>(), decode(j.at("m")), decode(j.at("v"))};
}

// The identity is long (every file name): a hash keeps the checkpoint small and the
// comparison exact enough.
std::string fingerprint(const std::string& identity) { return fnv1a64_tag({reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()}); }

}  // namespace

std::vector<std::vector<float>> snapshot_tensors(nn::Network& network) {
    std::vector<std::vector<float>> out;
    for (nn::Param* p : network.tensors()) out.push_back(p->value);
    return out;
}

void restore_tensors(nn::Network& network, const std::vector<std::vector<float>>& tensors) {
    const auto params = network.tensors();
    if (params.size() != tensors.size()) throw std::runtime_error("checkpoint: the network has a different number of tensors");
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i]->value.size() != tensors[i].size())
            throw std::runtime_error("checkpoint: tensor '" + params[i]->name + "' has a different size");
        params[i]->value = tensors[i];
    }
    for (auto& layer : network.layers()) layer->invalidate();
}

void save_checkpoint(const std::filesystem::path& path, const CheckpointState& s, nn::Network& network,
                     nn::Trainer& trainer) {
    json history = json::array();
    for (const auto& r : s.history) history.push_back(to_json(r));
    json j = {{"format", format_name},
                    {"version", format_version},
                    {"identity", fingerprint(s.identity)},
                    {"epoch", s.epoch},
                    {"batch", s.batch},
                    {"loss_sum", s.loss_sum},
                    {"adversary_loss_sum", s.adversary_loss_sum},
                    {"correct", s.correct},
                    {"seen", s.seen},
                    {"epoch_seconds", s.epoch_seconds},
                    {"history", history},
                    {"best_epoch", s.best_epoch},
                    {"best_value", s.best_value},
                    {"best_tensors", encode(s.best_tensors)},
                    {"bad_epochs", s.bad_epochs},
                    {"averaged_sum", encode(s.averaged_sum)},
                    {"averaged_epochs", s.averaged_epochs},
                    {"stopped_early", s.stopped_early},
                    {"tensors", encode(snapshot_tensors(network))},
                    {"optimizer", optimizer_json(trainer.optimizer().state())},
                    {"steps", trainer.steps()}};
    if (nn::Adversary* adversary = trainer.adversary())
        j["adversary"] = {{"tensors", encode(snapshot_tensors(adversary->head))},
                          {"optimizer", optimizer_json(trainer.adversary_optimizer()->state())}};
    write_file_atomically(path, json_text(j));
}

CheckpointState load_checkpoint(const std::filesystem::path& path, const std::string& identity, nn::Network& network,
                                nn::Trainer& trainer) {
    json j;
    try {
        j = json::parse(read_text_file(path));
    } catch (const json::exception& e) {
        throw std::runtime_error("checkpoint " + path.string() + " is damaged (" + e.what() + "); start without --resume");
    }
    try {
        if (j.at("format") != format_name || j.at("version") != format_version)
            throw std::runtime_error("checkpoint " + path.string() + " is not a ser checkpoint of version " + std::to_string(format_version));
        if (j.at("identity") != fingerprint(identity))
            throw std::runtime_error("checkpoint " + path.string() +
                                     " was written by a run with another config or other data; resume with the same "
                                     "--config, --data and --seed, or start afresh without --resume");
        CheckpointState s;
        s.identity = identity;
        s.epoch = j.at("epoch").get<int>();
        s.batch = j.at("batch").get<int>();
        s.loss_sum = j.at("loss_sum").get<double>();
        s.adversary_loss_sum = j.value("adversary_loss_sum", 0.0);  // absent before adversaries
        s.correct = j.at("correct").get<std::int64_t>();
        s.seen = j.at("seen").get<std::int64_t>();
        s.epoch_seconds = j.at("epoch_seconds").get<double>();
        for (const auto& r : j.at("history")) s.history.push_back(epoch_record_from_json(r));
        s.best_epoch = j.at("best_epoch").get<int>();
        s.best_value = j.at("best_value").get<double>();
        s.best_tensors = decode(j.at("best_tensors"));
        s.bad_epochs = j.at("bad_epochs").get<int>();
        s.stopped_early = j.at("stopped_early").get<bool>();
        s.averaged_sum = decode(j.at("averaged_sum"));
        s.averaged_epochs = j.at("averaged_epochs").get<int>();
        restore_tensors(network, decode(j.at("tensors")));
        trainer.optimizer().restore(optimizer_from_json(j.at("optimizer")));
        trainer.restore_steps(j.at("steps").get<std::uint64_t>());
        if (nn::Adversary* adversary = trainer.adversary()) {
            restore_tensors(adversary->head, decode(j.at("adversary").at("tensors")));
            trainer.adversary_optimizer()->restore(optimizer_from_json(j.at("adversary").at("optimizer")));
        }
        return s;
    } catch (const json::exception& e) {
        throw std::runtime_error("checkpoint " + path.string() + " is damaged (" + e.what() + "); start without --resume");
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("checkpoint " + path.string() + " is damaged (" + e.what() + "); start without --resume");
    }
}

}  // namespace ser
