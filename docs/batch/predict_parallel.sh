#!/usr/bin/env bash
# ser predict over a manifest as N shards run side by side by GNU parallel on this machine
# (or, with parallel's --sshlogin, on several), then merged: see docs/BATCH.md.
#   docs/batch/predict_parallel.sh N MODEL MANIFEST OUTDIR     -> OUTDIR/all.jsonl
# SER=path/to/ser picks the binary (default: ser on PATH); SER_JOBS=K files at once per
# shard (default 1: N shards already use N cores). Re-running resumes every shard.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 N MODEL MANIFEST OUTDIR" >&2; exit 2; }
shards="$1" model="$2" manifest="$3" out="$4"
ser="${SER:-ser}"
mkdir -p "$out"
# --halt never: a shard with failed files (exit 2-99) must not stop the others.
parallel --quote --halt never -j "$shards" \
  "$ser" predict --model "$model" --manifest "$manifest" --format jsonl --jobs "${SER_JOBS:-1}" \
  --shard '{}'/"$shards" --out "$out/part-{}.jsonl" --resume ::: $(seq 0 $((shards - 1))) || status=$?
# Every shard's records, one file; each input appears in exactly one part.
cat "$out"/part-*.jsonl > "$out/all.jsonl"
exit "${status:-0}"
