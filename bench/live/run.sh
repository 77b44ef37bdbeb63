#!/usr/bin/env bash
# The live path's cost per hop, before and after incremental features, in one run: the
# shipped model on a 48 kHz stream in 20 ms blocks, each block pushed to both analysers in
# turn, natively and in WASM (node). Prints medians per hop with speech and the ratios.
#   bench/live/run.sh [--native BUILD_DIR] [--wasm BUILD_DIR] [--seconds N] [MODEL_JSON]
# Build the target live_bench in both first (./dev build does); a missing WASM build is skipped.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
native="${SER_NATIVE_BUILD:-$root/build/native}"
wasm="${SER_WASM_BUILD:-$root/build/wasm}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --native) native="$2"; shift 2 ;;
    --wasm) wasm="$2"; shift 2 ;;
    --seconds) args+=(--seconds "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
native_bench="$(find "$native" -name live_bench -type f 2>/dev/null | head -n 1 || true)"
wasm_bench="$(find "$wasm" -name live_bench.js -type f 2>/dev/null | head -n 1 || true)"
[ -n "$native_bench" ] || { echo "bench/live/run.sh: live_bench is not built in $native: cmake --build $native --target live_bench" >&2; exit 1; }
results=("native" "$("$native_bench" "${args[@]}")")
if [ -n "$wasm_bench" ]; then results+=("wasm (node)" "$(node "$wasm_bench" "${args[@]}")")
else echo "(no live_bench.js in $wasm: WASM skipped)"; fi
python3 - "${results[@]}" <<'PY'
import json, sys
rows = sys.argv[1:]
print(f"{'per live hop (median)':26} {'features ms':>12} {'inference ms':>13} {'hop ms':>8} {'push ms/s audio':>16}")
for name, text in zip(rows[::2], rows[1::2]):
    r = json.loads(text)
    for path in ("whole_window", "incremental"):
        p = r[path]
        print(f"{name + ', ' + path.replace('_', ' '):26} {p['features_ms']:12.3f} {p['inference_ms']:13.3f} "
              f"{p['hop_ms']:8.3f} {p['push_ms_per_s']:16.2f}")
    w, i = r["whole_window"], r["incremental"]
    print(f"{name}: features {w['features_ms'] / i['features_ms']:.1f}x less per hop, hop {w['hop_ms'] / i['hop_ms']:.2f}x "
          f"faster, whole push path {w['push_ms_per_s'] / i['push_ms_per_s']:.2f}x faster "
          f"({i['hops']} hops with speech over {r['seconds']:.0f} s at a {r['hop_s']} s hop)")
PY
