#!/usr/bin/env bash
# Rebuilds the shipped model from scratch, as weights/README.md documents:
#   1. measures training/configs/default.json on protocol (a) of docs/EVALUATION.md: RAVDESS
#      8 classes, 6 actor folds, the other corpora on the training side, clean and under
#      silence, level, telephone, codec, noise and room conditions (resumable: --resume DIR
#      keeps finished folds);
#   2. trains it on all of ../shared/data, embedding the metrics of (a) in the model file,
#   3. records its predictions on weights/regression_clips.txt for the CI regression test,
#   4. measures the rest of "does it hear new voices?", each resumable the same way:
#        b. leave one corpus out on the 4 shared classes (calm folded into neutral);
#        c. nEMO and ASED speaker folds within the mixed training;
#      and few-shot adaptation per held-out speaker on the folds of (b), (c) and (a).
# The model is ready after step 3 (about an hour here with the feature cache warm); step 4
# takes about three more, so a run cut off there leaves a complete model file behind.
# Usage: training/export_default.sh [SHARED_DATA_DIR]   (default ../shared/data)
# A run cut off at any point continues where it stopped when started again (the folds'
# results stay in weights/eval/*.folds/, the training run's checkpoint beside its output).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(cd "${1:-$root/../shared/data}" && pwd)"
ser="${SER:-$root/build/native/bin/ser}"  # SER=path/to/ser to use another build
config="$root/training/configs/default.json"
out="$root/weights"
eval="$out/eval"
[ -x "$ser" ] || { echo "build the CLI first: ./dev build" >&2; exit 1; }
mkdir -p "$eval"
corpora=(--data "ravdess=$data/ravdess" --data "tess=$data/tess" --data "nemo=$data/nemo" --data "ased=$data/ased")
conditions=(--condition pad:1 --condition gain:-20 --condition gain:6 --condition phone:8000 --condition opus:12
            --condition noise:20 --condition noise:10 --condition reverb:0.5)

time "$ser" eval --config "$config" --data "ravdess=$data/ravdess" --train-also "tess=$data/tess" \
  --train-also "nemo=$data/nemo" --train-also "ased=$data/ased" --folds speaker "${conditions[@]}" \
  --resume "$eval/ravdess-speaker.folds" --out "$eval/default.ravdess-speaker-folds.json" --svg "$eval/default.confusion.svg"
time "$ser" train --config "$config" "${corpora[@]}" --metrics "$eval/default.ravdess-speaker-folds.json" \
  --out "$out/default.json" $( [ -f "$out/default.json.checkpoint" ] && echo --resume )
(cd "$data" && "$ser" predict --model "$out/default.json" --format json $(grep -v '^#' "$out/regression_clips.txt")) \
  > "$out/default.predictions.json"
time "$ser" eval --config "$config" "${corpora[@]}" --folds corpus --labels angry,happy,sad,neutral --merge-calm \
  --condition pad:1 --condition gain:-20 --condition phone:8000 \
  --resume "$eval/loco.folds" --out "$eval/default.leave-one-corpus-out.json"
time "$ser" eval --config "$config" --data "nemo=$data/nemo" --data "ased=$data/ased" --train-also "ravdess=$data/ravdess" \
  --train-also "tess=$data/tess" --folds speaker --resume "$eval/nemo-ased-speaker.folds" \
  --out "$eval/default.nemo-ased-speaker-folds.json"
# Few-shot adaptation per held-out speaker on the fold models of (b), (c) and (a) (docs/ADAPTATION.md);
# a finished report is kept and not run again; a run cut off keeps its finished fold models in
# build/adapt-folds/ (1.3 MB each, so not in the repo) and only adapts them when started again.
models="$root/build/adapt-folds"
adapt=(--adapt-shots 0,1,2,4)
[ -f "$eval/default.adapt-leave-one-corpus-out.json" ] || time "$ser" eval --config "$config" "${corpora[@]}" \
  --folds corpus --labels angry,happy,sad,neutral --merge-calm "${adapt[@]}" --resume "$models/loco" --out "$eval/default.adapt-leave-one-corpus-out.json"
[ -f "$eval/default.adapt-nemo-ased-speaker-folds.json" ] || time "$ser" eval --config "$config" --data "nemo=$data/nemo" \
  --data "ased=$data/ased" --train-also "ravdess=$data/ravdess" --train-also "tess=$data/tess" --folds speaker "${adapt[@]}" \
  --resume "$models/nemo-ased-speaker" --out "$eval/default.adapt-nemo-ased-speaker-folds.json"
[ -f "$eval/default.adapt-ravdess-speaker-folds.json" ] || time "$ser" eval --config "$config" --data "ravdess=$data/ravdess" \
  --train-also "tess=$data/tess" --train-also "nemo=$data/nemo" --train-also "ased=$data/ased" --folds speaker "${adapt[@]}" \
  --resume "$models/ravdess-speaker" --out "$eval/default.adapt-ravdess-speaker-folds.json"
node "$root/training/adapt_curve.mjs" "a new corpus (4 classes)=$eval/default.adapt-leave-one-corpus-out.json" \
  "nEMO + ASED speakers=$eval/default.adapt-nemo-ased-speaker-folds.json" \
  "RAVDESS actors (8 classes)=$eval/default.adapt-ravdess-speaker-folds.json" > "$eval/default.adapt-curve.svg"
echo "wrote $out/default.json, $out/default.predictions.json and the reports in $eval"
