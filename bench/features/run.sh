#!/usr/bin/env bash
# Feature extraction and resampling cost, with the peers in the same run on the same machine:
#   native and WASM (node) builds of features_bench, each with and without SIMD;
#   torchaudio's MFCC (Debian's python3-torchaudio) on the same audio and settings;
#   librosa 0.11 cannot be installed here (no PyPI): its figure is the one recorded in
#   ../shared/ANCHORS.md, and is labelled as recorded.
#
#   bench/features/run.sh [--quick] [--native BUILD_DIR] [--wasm BUILD_DIR]
# Build dirs default to build/native and build/wasm; build the targets features_bench and
# features_bench_scalar in both first (./dev build does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
native="${SER_NATIVE_BUILD:-$root/build/native}"
wasm="${SER_WASM_BUILD:-$root/build/wasm}"
shared="$root/../shared"
quick=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick); shift ;;
    --native) native="$2"; shift 2 ;;
    --wasm) wasm="$2"; shift 2 ;;
    *) echo "usage: bench/features/run.sh [--quick] [--native DIR] [--wasm DIR]" >&2; exit 2 ;;
  esac
done

die() { echo "bench/features/run.sh: $*" >&2; exit 1; }
find_one() { find "$1" -name "$2" -type f 2>/dev/null | head -n 1; }

native_bench="$(find_one "$native" features_bench)"
native_scalar="$(find_one "$native" features_bench_scalar)"
wasm_bench="$(find_one "$wasm" features_bench.js)"
wasm_scalar="$(find_one "$wasm" features_bench_scalar.js)"
for b in native_bench native_scalar wasm_bench wasm_scalar; do
  [ -n "${!b}" ] || die "$b is not built: cmake --build DIR --target features_bench features_bench_scalar"
done

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
run() {  # label command...
  local label="$1"; shift
  echo "running $label" >&2
  "$@" | sed "s/^{/{\"build\":\"$label\",/" >>"$results"
}
run native "$native_bench" "${quick[@]}"
run native_scalar "$native_scalar" "${quick[@]}"
run wasm node "$wasm_bench" "${quick[@]}"
run wasm_scalar node "$wasm_scalar" "${quick[@]}"
python=/usr/bin/python3  # Debian's interpreter: python3-torchaudio lives there
if "$python" -c 'import torchaudio' 2>/dev/null; then
  run peer "$python" "$here/torchaudio_mfcc.py" "$shared" "${quick[@]}"
else
  echo "torchaudio is missing (apt-get install python3-torchaudio): no measured MFCC peer in this run" >&2
fi
"$python" "$here/report.py" "$results"
