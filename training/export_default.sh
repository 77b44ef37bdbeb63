#!/usr/bin/env bash
# Rebuilds the shipped model from scratch, as weights/README.md documents:
#   1. cross-validates training/configs/default.json on RAVDESS (6 actor folds; TESS added to
#      every fold's training side; clean, noisy and reverberant test conditions),
#   2. trains it on all of RAVDESS + TESS, embedding those metrics in the model file,
#   3. records its predictions on weights/regression_clips.txt for the CI regression test.
# Usage: training/export_default.sh [SHARED_DATA_DIR]   (default ../shared/data)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$root/../shared/data}" && pwd)"
ser="${SER:-$root/build/native/bin/ser}"  # SER=path/to/ser to use another build
config="$root/training/configs/default.json"
out="$root/weights"
[ -x "$ser" ] || { echo "build the CLI first: ./dev build" >&2; exit 1; }
mkdir -p "$out/eval"

time "$ser" eval --config "$config" --data "ravdess=$data/ravdess" --train-also "tess=$data/tess" --folds speaker \
  --condition noise:20 --condition noise:10 --condition reverb:0.5 \
  --out "$out/eval/default.ravdess-speaker-folds.json" --svg "$out/eval/default.confusion.svg"
time "$ser" train --config "$config" --data "ravdess=$data/ravdess" --data "tess=$data/tess" \
  --metrics "$out/eval/default.ravdess-speaker-folds.json" --out "$out/default.json"
(cd "$data" && "$ser" predict --model "$out/default.json" --format json $(grep -v '^#' "$out/regression_clips.txt")) \
  > "$out/default.predictions.json"
echo "wrote $out/default.json and $out/default.predictions.json"
