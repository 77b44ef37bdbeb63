#pragma once
// The same recording under two names (ASED has four such repetition pairs, RAVDESS one):
// found by its audio, so that no split puts one copy on each side.
//
// Not by the file's bytes: copies of one recording differ in their containers (an Ogg
// stream's serial number) and in their dither (a FLAC made from a resampled original), so
// the decoded audio is compared, coarsely enough to ignore both and finely enough to tell
// two takes of the same sentence apart.

#include <span>
#include <vector>

namespace ser {

// RMS of consecutive 10 ms blocks of `pcm` (the last block may be shorter).
std::vector<float> audio_fingerprint(std::span<const float> pcm, int sample_rate);

// The same length in blocks and every block's RMS within 1e-3 (-60 dBFS, about 33 steps of
// 16-bit audio): dither and lossless re-encoding move a block by far less, a different
// take of the same sentence by far more wherever someone speaks.
bool same_audio(std::span<const float> a, std::span<const float> b);

// A group id per clip: clips that are the same audio share an id >= 0; a clip with no
// double gets -1. Ids are numbered in order of each group's first clip.
std::vector<int> duplicate_groups(const std::vector<std::vector<float>>& fingerprints);

}  // namespace ser
