#include "training/duplicates.h"

#include <cmath>
#include <map>
#include <numeric>

namespace ser {

std::vector<float> audio_fingerprint(std::span<const float> pcm, int sample_rate) {
    const std::size_t block = static_cast<std::size_t>(std::max(1, sample_rate / 100));
    std::vector<float> rms;
    for (std::size_t start = 0; start < pcm.size(); start += block) {
        const std::size_t end = std::min(pcm.size(), start + block);
        double sum = 0.0;
        for (std::size_t i = start; i < end; ++i) sum += static_cast<double>(pcm[i]) * pcm[i];
        rms.push_back(static_cast<float>(std::sqrt(sum / static_cast<double>(end - start))));
    }
    return rms;
}

bool same_audio(std::span<const float> a, std::span<const float> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(std::abs(a[i] - b[i]) <= 1e-3f)) return false;
    return true;
}

std::vector<int> duplicate_groups(const std::vector<std::vector<float>>& fingerprints) {
    // Only clips of the same length can match, so each is compared with those alone.
    std::map<std::size_t, std::vector<std::size_t>> by_length;
    for (std::size_t i = 0; i < fingerprints.size(); ++i) by_length[fingerprints[i].size()].push_back(i);
    std::vector<std::size_t> root(fingerprints.size());
    std::iota(root.begin(), root.end(), 0);
    for (const auto& [length, clips] : by_length)
        for (std::size_t x = 0; x < clips.size(); ++x)
            for (std::size_t y = 0; y < x; ++y)
                if (root[clips[y]] == clips[y] && same_audio(fingerprints[clips[x]], fingerprints[clips[y]])) {
                    root[clips[x]] = clips[y];
                    break;
                }
    // root[i] is i itself or an earlier clip that is its own root: groups are stars.
    std::vector<std::size_t> members(fingerprints.size(), 0);
    for (std::size_t i = 0; i < root.size(); ++i) ++members[root[i]];
    std::vector<int> group(fingerprints.size(), -1);
    std::map<std::size_t, int> id;
    for (std::size_t i = 0; i < root.size(); ++i)
        if (members[root[i]] > 1) group[i] = id.emplace(root[i], static_cast<int>(id.size())).first->second;
    return group;
}

}  // namespace ser
