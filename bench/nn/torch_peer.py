#!/usr/bin/env python3
"""PyTorch 1.13 (Debian's python3-torch) on the same seed net with the same weights as
nn_bench --export wrote: output agreement, batch-1 latency and batch-64 time on one thread,
and one training epoch (1440 samples, batch 64, Adam) on two threads.

usage: torch_peer.py EXPORT_JSON [--quick]   (prints one JSON object)
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def same_padding(length, extent, stride):
    """Keras/TensorFlow "same" padding, as the engine does it: (left, right)."""
    out = (length + stride - 1) // stride
    total = max((out - 1) * stride + extent - length, 0)
    return total // 2, total - total // 2


class Net(torch.nn.Module):
    """Builds the engine's layer list (the subset the benchmark nets use) in PyTorch."""

    def __init__(self, arch, weights):
        super().__init__()
        self.steps = []
        self.params = torch.nn.ParameterList()
        channels, length = arch["input"]["channels"], arch["input"]["time"]
        for spec, w in zip(arch["layers"], weights):
            kind = spec["type"]
            if kind == "conv1d":
                k, s, d = spec["kernel"], spec.get("stride", 1), spec.get("dilation", 1)
                extent = (k - 1) * d + 1
                pad = same_padding(length, extent, s) if spec.get("padding") == "same" else (0, 0)
                weight = torch.tensor(w["weight"]).reshape(spec["filters"], channels, k)
                bias = torch.tensor(w["bias"]) if "bias" in w else None
                self.params.append(torch.nn.Parameter(weight))
                wi = len(self.params) - 1
                bi = None
                if bias is not None:
                    self.params.append(torch.nn.Parameter(bias))
                    bi = len(self.params) - 1
                self.steps.append(("conv", wi, bi, pad, s, d))
                channels = spec["filters"]
                length = (length + pad[0] + pad[1] - extent) // s + 1
            elif kind == "maxpool1d":
                p, s = spec["pool"], spec.get("stride", spec["pool"])
                pad = same_padding(length, p, s) if spec.get("padding") == "same" else (0, 0)
                self.steps.append(("maxpool", p, s, pad))
                length = (length + pad[0] + pad[1] - p) // s + 1
            elif kind == "relu":
                self.steps.append(("relu",))
            elif kind == "dropout":
                self.steps.append(("dropout", spec["rate"]))
            elif kind == "flatten":
                self.steps.append(("flatten",))
                # The engine flattens time-major (t * C + c), PyTorch channel-major: permute
                # the next dense layer's weights once instead of the activations each call.
                self.flat = (channels, length)
                channels, length = channels * length, 1
            elif kind == "dense":
                weight = torch.tensor(w["weight"]).reshape(spec["units"], channels)
                if getattr(self, "flat", None):
                    c, t = self.flat
                    weight = weight.reshape(spec["units"], t, c).permute(0, 2, 1).reshape(spec["units"], c * t)
                    self.flat = None
                self.params.append(torch.nn.Parameter(weight.contiguous()))
                self.params.append(torch.nn.Parameter(torch.tensor(w["bias"])))
                self.steps.append(("dense", len(self.params) - 2, len(self.params) - 1))
                channels = spec["units"]
            elif kind == "stats_pool":  # mean and standard deviation over time, as the engine
                self.steps.append(("stats_pool", spec.get("epsilon", 1e-5)))
                channels, length = 2 * channels, 1
            elif kind == "softmax":
                pass  # logits out; the loss applies it
            else:
                raise SystemExit(f"torch_peer: layer type {kind} is not in this benchmark")

    def forward(self, x):
        for step in self.steps:
            kind = step[0]
            if kind == "conv":
                _, wi, bi, pad, s, d = step
                if pad != (0, 0):
                    x = F.pad(x, pad)
                x = F.conv1d(x, self.params[wi], None if bi is None else self.params[bi], stride=s, dilation=d)
            elif kind == "maxpool":
                _, p, s, pad = step
                if pad != (0, 0):
                    x = F.pad(x, pad, value=float("-inf"))
                x = F.max_pool1d(x, p, s)
            elif kind == "relu":
                x = F.relu(x)
            elif kind == "dropout":
                x = F.dropout(x, step[1], self.training)
            elif kind == "flatten":
                x = x.flatten(1)
            elif kind == "stats_pool":
                var = x.var(dim=2, unbiased=False)
                x = torch.cat([x.mean(dim=2), torch.sqrt(var + step[1])], dim=1)
            elif kind == "dense":
                x = F.linear(x, self.params[step[1]], self.params[step[2]])
        return x


def median_seconds(reps, fn):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    path = sys.argv[1]
    quick = "--quick" in sys.argv
    data = json.load(open(path))
    arch = data["architecture"]
    c, t = arch["input"]["channels"], arch["input"]["time"]
    net = Net(arch, data["weights"]).eval()
    n = data["n"]
    x = torch.tensor(data["input"]).reshape(n, c, t)
    ours = torch.tensor(data["logits"]).reshape(n, -1)

    torch.set_num_threads(1)
    with torch.no_grad():
        theirs = net(x)
        agreement = float((theirs - ours).abs().max() / max(1.0, float(ours.abs().max())))
        x1 = x[:1].contiguous()
        x64 = torch.randn(64, c, t)
        for _ in range(20):
            net(x1)
        b1 = median_seconds(20 if quick else 200, lambda: net(x1))
        net(x64)
        b64 = median_seconds(3 if quick else 15, lambda: net(x64))

    threads = 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    samples, batch = 1440, 64
    classes = ours.shape[1]
    xs = torch.rand(samples, c, t) * 2 - 1
    ys = torch.arange(samples) % classes

    def epoch():
        for s in range(0, samples, batch):
            opt.zero_grad()
            loss = F.cross_entropy(net(xs[s:s + batch]), ys[s:s + batch])
            loss.backward()
            opt.step()

    epoch()
    e = median_seconds(1 if quick else 3, epoch)
    print(json.dumps({"torch": torch.__version__, "agreement": agreement, "batch1_ms": b1 * 1e3,
                      "batch64_ms": b64 * 1e3, "epoch_s": e, "epoch_threads": threads,
                      "inference_threads": 1}))


if __name__ == "__main__":
    main()
