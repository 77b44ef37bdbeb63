"""Prints bench/features/run.sh's measurements as ratios. Ratios use each case's best batch
(the least disturbed by other work on the machine); medians are shown beside."""

import json
import sys

# ../shared/ANCHORS.md, 2026-11-24, AMD EPYC Zen 4: recorded, not measured in this run.
LIBROSA_RECIPE162_MS = 10.1      # librosa 0.11.0 with OpenBLAS, per 2.5 s clip
TORCHAUDIO_MFCC_MS_PER_S = 0.17  # torchaudio (Debian), 40-band log-mel MFCC at 16 kHz

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
audio = next((r["audio"] for r in rows if "audio" in r), "?")
m = {(r["build"], r["case"]): r for r in rows if "case" in r}
cases = [r["case"] for r in rows if r.get("build") == "native" and "case" in r]
builds = ["native", "native_scalar", "wasm", "wasm_scalar"]


def best(build, case):
    return m[(build, case)]["best"] if (build, case) in m else None


print(f"audio: {audio}; times are best / median of the batches")
print(f"{'case':24} {'unit':19}" + "".join(f"{b:>20}" for b in builds))
for case in cases:
    unit = m[("native", case)]["unit"]
    cells = []
    for b in builds:
        r = m.get((b, case))
        cells.append(f"{r['best']:.4f} / {r['median']:.4f}" if r else "-")
    print(f"{case:24} {unit:19}" + "".join(f"{c:>20}" for c in cells))

print("\nWASM / native (target <= 2)   SIMD speedup: native, WASM")
for case in cases:
    n, w = best("native", case), best("wasm", case)
    ns, ws = best("native_scalar", case), best("wasm_scalar", case)
    print(f"  {case:24} {w / n:6.2f}          {ns / n:6.2f}  {ws / w:6.2f}")

r = best("native", "recipe162")
print(f"\nrecipe162, 2.5 s clip: {r:.3f} ms native, {best('wasm', 'recipe162'):.3f} ms WASM")
print(f"  librosa 0.11 (recorded {LIBROSA_RECIPE162_MS} ms, ANCHORS.md): {LIBROSA_RECIPE162_MS / r:.1f}x faster"
      f" [target >= 5x, i.e. <= {LIBROSA_RECIPE162_MS / 5:.2f} ms]")
d = best("native", "default_mfcc")
print(f"default preset MFCC path: {d:.4f} ms per s native, {best('wasm', 'default_mfcc'):.4f} WASM")
peer = m.get(("peer", "torchaudio_default_mfcc"))
if peer:
    print(f"  torchaudio {peer.get('version', '')} measured in this run, same settings: {peer['best']:.4f} ms per s"
          f" -> ser is {peer['best'] / d:.2f}x faster [target > 1x]")
else:
    print("  torchaudio not measured in this run")
print(f"  torchaudio (recorded {TORCHAUDIO_MFCC_MS_PER_S} ms per s, ANCHORS.md): {TORCHAUDIO_MFCC_MS_PER_S / d:.2f}x")
