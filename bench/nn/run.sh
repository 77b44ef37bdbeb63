#!/usr/bin/env bash
# The CNN engine benchmark, with its peers in the same run on the same machine:
#   native: nn_bench (ser) and PyTorch 1.13 (Debian's python3-torch)
#   WASM under node: nn_bench.js (ser), TF.js wasm backend and onnxruntime-web
# then prints the ratios, the share of the measured peak, and the targets of issue 5.
#
#   bench/nn/run.sh [--quick] [--native BUILD_DIR] [--wasm BUILD_DIR] [--json OUT]
# Build dirs default to build/native and build/wasm (./dev build); nn_bench must be built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
native="$root/build/native"
wasm="$root/build/wasm"
quick=()
json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--quick); shift ;;
    --native) native="$2"; shift 2 ;;
    --wasm) wasm="$2"; shift 2 ;;
    --json) json_out="$2"; shift 2 ;;
    *) echo "usage: bench/nn/run.sh [--quick] [--native DIR] [--wasm DIR] [--json OUT]" >&2; exit 2 ;;
  esac
done

die() { echo "bench/nn/run.sh: $*" >&2; exit 1; }
find_one() { find "$1" -name "$2" -type f 2>/dev/null | head -n 1; }

native_bench="$(find_one "$native" nn_bench)"
native_scalar="$(find_one "$native" nn_bench_scalar)"
wasm_bench="$(find_one "$wasm" nn_bench.js)"
wasm_scalar="$(find_one "$wasm" nn_bench_scalar.js)"
for b in native_bench native_scalar wasm_bench wasm_scalar; do
  [ -n "${!b}" ] || die "$b is not built: ./dev build, or cmake --build DIR --target nn_bench nn_bench_scalar"
done
python=/usr/bin/python3  # Debian's interpreter: python3-torch lives there, not in a pyenv
"$python" -c 'import torch' 2>/dev/null || die "PyTorch is missing: apt-get install python3-torch"

if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --no-liftoff: V8 never tiers up a function that runs one long loop, so without it the peak
# measurement would time baseline code; hot kernels (ours and the peers') reach the same
# optimised code either way.
node=(node --no-liftoff)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/native" "$tmp/wasm"

echo "== ser native (nn_bench)" >&2
"$native_bench" "${quick[@]}" --export "$tmp/native" > "$tmp/native.json"
"$native_scalar" "${quick[@]}" --inference-only > "$tmp/native_scalar.json"
echo "== PyTorch $("$python" -c 'import torch; print(torch.__version__)') (same weights)" >&2
"$python" "$here/torch_peer.py" "$tmp/native/seed.json" "${quick[@]}" > "$tmp/torch.json"
echo "== ser WASM under node (nn_bench.js)" >&2
"${node[@]}" "$wasm_bench" "${quick[@]}" --export "$tmp/wasm" > "$tmp/wasm.json"
"${node[@]}" "$wasm_scalar" "${quick[@]}" --inference-only > "$tmp/wasm_scalar.json"
echo "== TF.js and onnxruntime-web under node (same weights)" >&2
"${node[@]}" "$here/peers_wasm.mjs" "$tmp/wasm/seed.json" "${quick[@]}" > "$tmp/peers.json"

"$python" "$here/report.py" "$tmp" ${json_out:+--json "$json_out"}
