#!/usr/bin/env python3
"""Prints the CNN engine benchmark from the JSON files run.sh collected in one run:
ser against PyTorch natively and against TF.js and onnxruntime-web in WASM, the speed-up of
SIMD over scalar, the share of the machine's measured peak, and issue 5's targets.

usage: report.py RUN_DIR [--json OUT]
"""
import json
import os
import platform
import sys
import time


def load(run, name):
    with open(os.path.join(run, name)) as f:
        return json.load(f)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    run = sys.argv[1]
    native, wasm = load(run, "native.json"), load(run, "wasm.json")
    torch, peers = load(run, "torch.json"), load(run, "peers.json")
    nets_n = {n["net"]: n for n in native["nets"]}
    nets_w = {n["net"]: n for n in wasm["nets"]}
    for nets, scalar in ((nets_n, load(run, "native_scalar.json")), (nets_w, load(run, "wasm_scalar.json"))):
        for s in scalar["nets"]:
            nets[s["net"]]["kernels_scalar_batch1_ms"] = s["batch1_ms"]
    seed_n, seed_w = nets_n["seed"], nets_w["seed"]
    tfjs, ort = peers["tfjs"], peers["ort"]
    peak_n, peak_w = native["peak_gflops_one_core"], wasm["peak_gflops_one_core"]
    threads = seed_n["epoch_threads"]
    lines = []
    say = lines.append

    say(f"CNN engine benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {cpu_model()}, {os.cpu_count()} cores,"
        f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every side)")
    say(f"measured peak of one core: native {native['simd']} {peak_n:.0f} GFLOP/s, "
        f"WASM {wasm['simd']} {peak_w:.1f} GFLOP/s (multiply + add)")
    say("")
    for name in ("seed", "temporal"):
        n, w = nets_n[name], nets_w[name]
        say(f"{name} net: {n['parameters']:,} parameters, {n['forward_mflop']:.1f} MFLOP per forward pass"
            f" ({n['forward_mflop_done']:.1f} done: Winograd convolutions); % = share of one core's peak"
            f" reached by the arithmetic done")
        say(f"  native  batch 1 {n['batch1_ms']:8.3f} ms ({n['batch1_gflops_done'] / peak_n:4.0%})"
            f"   batch 64 {n['batch64_ms']:8.2f} ms ({n['batch64_gflops_done'] / peak_n:4.0%})   scalar reference {n['scalar_batch1_ms']:8.2f} ms"
            f" (SIMD {n['simd_over_scalar']:.1f}x)")
        say(f"  WASM    batch 1 {w['batch1_ms']:8.3f} ms ({w['batch1_gflops_done'] / peak_w:4.0%})"
            f"   batch 64 {w['batch64_ms']:8.2f} ms ({w['batch64_gflops_done'] / peak_w:4.0%})   scalar reference {w['scalar_batch1_ms']:8.2f} ms"
            f" (SIMD {w['simd_over_scalar']:.1f}x)")
        say(f"          same kernels built scalar: native {n['kernels_scalar_batch1_ms']:.3f} ms"
                f" (SIMD {n['kernels_scalar_batch1_ms'] / n['batch1_ms']:.1f}x), WASM"
                f" {w['kernels_scalar_batch1_ms']:.3f} ms (SIMD {w['kernels_scalar_batch1_ms'] / w['batch1_ms']:.1f}x)")
        say(f"  training epoch (1440 samples, batch 64, {n['epoch_threads']} threads): {n['epoch_s']:.3f} s"
            f" ({n['epoch_gflops'] / (peak_n * n['epoch_threads']):.0%} of {n['epoch_threads']} cores' peak in"
            f" direct-convolution FLOPs)")
        say("")

    say("peers (same weights, same run, outputs agree to 1e-4: max relative difference shown)")
    say(f"  PyTorch {torch['torch']} native, inference on {torch['inference_threads']} thread, training on"
        f" {torch['epoch_threads']}: batch 1 {torch['batch1_ms']:.3f} ms, batch 64 {torch['batch64_ms']:.2f} ms,"
        f" epoch {torch['epoch_s']:.3f} s   [agreement {torch['agreement']:.1e}]")
    say(f"  TF.js {tfjs['version']} wasm (SIMD {'on' if tfjs['simd'] else 'OFF'}, 1 thread): batch 1"
        f" {tfjs['batch1_ms']:.3f} ms, batch 64 {tfjs['batch64_ms']:.2f} ms   [agreement {tfjs['agreement']:.1e}]")
    say(f"  onnxruntime-web {ort['version']} wasm (1 thread): batch 1 {ort['batch1_ms']:.3f} ms,"
        f" batch 64 {ort['batch64_ms']:.2f} ms   [agreement {ort['agreement']:.1e}]")
    say("")

    checks = [
        ("outputs agree with every peer to 1e-4", max(torch["agreement"], tfjs["agreement"], ort["agreement"]) <= 1e-4, ""),
        ("WASM batch 1 vs TF.js (aim >= 1.5x single-threaded; issue: 3x)",
         tfjs["batch1_ms"] / seed_w["batch1_ms"] >= 1.5, f"{tfjs['batch1_ms'] / seed_w['batch1_ms']:.2f}x"),
        ("WASM batch 1 vs onnxruntime-web (aim >= 1.5x; issue: 3x)",
         ort["batch1_ms"] / seed_w["batch1_ms"] >= 1.5, f"{ort['batch1_ms'] / seed_w['batch1_ms']:.2f}x"),
        ("WASM batch 64 vs TF.js", tfjs["batch64_ms"] / seed_w["batch64_ms"] >= 1.0,
         f"{tfjs['batch64_ms'] / seed_w['batch64_ms']:.2f}x"),
        ("WASM batch 64 vs onnxruntime-web", ort["batch64_ms"] / seed_w["batch64_ms"] >= 1.0,
         f"{ort['batch64_ms'] / seed_w['batch64_ms']:.2f}x"),
        ("WASM SIMD over the scalar reference (>= 3x)", seed_w["simd_over_scalar"] >= 3.0,
         f"{seed_w['simd_over_scalar']:.1f}x"),
        ("WASM SIMD over the same kernels built scalar (>= 3x)",
         seed_w["kernels_scalar_batch1_ms"] / seed_w["batch1_ms"] >= 3.0,
         f"{seed_w['kernels_scalar_batch1_ms'] / seed_w['batch1_ms']:.1f}x"),
        ("native batch 1 vs PyTorch", torch["batch1_ms"] / seed_n["batch1_ms"] >= 1.0,
         f"{torch['batch1_ms'] / seed_n['batch1_ms']:.2f}x"),
        (f"training epoch vs PyTorch on {threads} cores (>= 1.5x)", torch["epoch_s"] / seed_n["epoch_s"] >= 1.5,
         f"{torch['epoch_s'] / seed_n['epoch_s']:.2f}x"),
        ("temporal net, one analysis window in WASM (< 1 ms)", nets_w["temporal"]["batch1_ms"] < 1.0,
         f"{nets_w['temporal']['batch1_ms']:.3f} ms"),
    ]
    say("targets (issue 5, with ANCHORS.md's single-thread floor)")
    for what, ok, value in checks:
        say(f"  {'PASS' if ok else 'MISS'}  {what}: {value}")
    print("\n".join(lines))

    if "--json" in sys.argv:
        out = sys.argv[sys.argv.index("--json") + 1]
        with open(out, "w") as f:
            json.dump({"native": native, "wasm": wasm, "torch": torch, "peers": peers, "cpu": cpu_model(),
                       "checks": [{"what": w, "pass": ok, "value": v} for w, ok, v in checks]}, f, indent=1)


if __name__ == "__main__":
    main()
