#include "features/feature_stream.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "audio/pcm_checks.h"

namespace ser {
std::string frame_local_violation(const FeatureConfig& c) {
    if (c.stft.center) return "set stft.center to false (centred frames reach across the stream's edges)";
    if (c.db.top_db && c.db.span == DbSpan::clip) return "set db.span to \"frame\" or db.top_db to null";
    if (!c.chroma.tuning) {
        for (const auto& f : c.input.features)
            if (f.rfind("chroma", 0) == 0) return "pin chroma.tuning (an estimate needs the whole input)";
    }
    if (c.input.pooling != Pooling::none) return "set input.pooling to \"none\" (pool over a window instead)";
    for (const auto& f : c.input.features)
        if (f.find("_delta") != std::string::npos) return "leave deltas out of input.features (they span frames)";
    return {};
}

namespace {

const FeatureConfig& require_frame_local(const FeatureConfig& c) {
    validate(c);
    if (const std::string why = frame_local_violation(c); !why.empty())
        throw std::invalid_argument("FeatureStream needs frames that depend only on their own samples: " + why);
    return c;
}

}  // namespace

FeatureStream::FeatureStream(const FeatureConfig& config) : extractor_(require_frame_local(config)) {}

void FeatureStream::reset() {
    pending_.clear();
    skip_ = 0;
    frames_done_ = 0;
}

int FeatureStream::push(std::span<const float> pcm, std::vector<float>& frames) {
    require_usable_pcm(pcm, "feature stream input");
    pending_.insert(pending_.end(), pcm.begin(), pcm.end());
    if (skip_ > 0) {  // the tail of a hop longer than the frame: samples no frame reads
        const std::size_t dropped = std::min(skip_, pending_.size());
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(dropped));
        skip_ -= dropped;
    }
    const auto n_fft = static_cast<std::size_t>(config().stft.n_fft);
    const auto hop = static_cast<std::size_t>(config().stft.hop_length);
    const auto channels = static_cast<std::size_t>(this->channels());
    // Every frame the pending samples complete, computed in one batch (each column equals the
    // frame computed alone), then stored frame by frame.
    const std::size_t ready = pending_.size() < n_fft ? 0 : 1 + (pending_.size() - n_fft) / hop;
    if (ready > 0) {
        extractor_.compute(std::span<const float>(pending_).first((ready - 1) * hop + n_fft), block_);
        const auto cols = static_cast<std::size_t>(block_.cols);
        for (std::size_t t = 0; t < ready; ++t)
            for (std::size_t c = 0; c < channels; ++c) frames.push_back(block_.values[c * cols + t]);
    }
    const std::size_t start = ready * hop;
    const int produced = static_cast<int>(ready);
    const std::size_t consumed = std::min(start, pending_.size());
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(consumed));
    skip_ += start - consumed;
    frames_done_ += produced;
    return produced;
}

}  // namespace ser
