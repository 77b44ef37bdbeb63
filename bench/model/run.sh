#!/usr/bin/env bash
# The shipped model's cost per 2 s analysis window, native and WASM (node) in one run:
# median features, inference and total, the WASM/native ratio, and the share of the budget:
# 5 ms per window in WASM on one thread (2 % of a core at a 0.25 s hop), a 4 MB model file.
#   bench/model/run.sh [--native BUILD_DIR] [--wasm BUILD_DIR] [MODEL_JSON]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
native="${SER_NATIVE_BUILD:-$root/build/native}"
wasm="${SER_WASM_BUILD:-$root/build/wasm}"
model="$root/weights/default.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --native) native="$2"; shift 2 ;;
    --wasm) wasm="$2"; shift 2 ;;
    *) model="$1"; shift ;;
  esac
done
native_bench="$(find "$native" -name model_bench -type f | head -n 1)"
wasm_bench="$(find "$wasm" -name model_bench.js -type f | head -n 1)"
[ -n "$native_bench" ] && [ -n "$wasm_bench" ] ||
  { echo "bench/model/run.sh: model_bench is not built in $native and $wasm: ./dev build" >&2; exit 1; }
native_json="$("$native_bench" "$model")"
wasm_json="$(node "$wasm_bench" "$model")"
python3 - "$native_json" "$wasm_json" <<'PY'
import json, sys
n, w = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"model: {n['model_bytes'] / 1e6:.2f} MB (budget 4 MB)")
print(f"{'per 2 s window':16} {'features ms':>12} {'inference ms':>13} {'total ms':>9} {'p90 ms':>7}")
for name, r in (("native", n), ("wasm (node)", w)):
    print(f"{name:16} {r['features_ms']:12.3f} {r['inference_ms']:13.3f} {r['total_ms']:9.3f} {r['total_p90_ms']:7.3f}")
print(f"wasm / native total: {w['total_ms'] / n['total_ms']:.2f}x; wasm uses {100 * w['total_ms'] / 5:.0f}% of the 5 ms budget "
      f"({100 * w['total_ms'] / 250:.1f}% of a core at a 0.25 s hop)")
PY
