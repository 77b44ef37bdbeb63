#!/usr/bin/env python3
"""The Python way to classify a folder of clips with the shipped model's net, as the batch
benchmark's peer: read each 16 kHz WAV (stdlib wave + NumPy), log-mel features as librosa
computes them (torchaudio's MelSpectrogram with the model's settings: 400-point Hann frames
every 160 samples, no centring, 64 Slaney mels 50-8000 Hz, power 2; then 10 log10 with a
per-frame 80 dB floor), the same 2 s windows every 0.25 s cut from the clip's frames (the
clip framed by the model's analysis.edge_s of silence first, as ser frames it), the
model's normalisation, and PyTorch 1.13 on the folded net (same weights, batch = all the
clip's windows), softmax and the mean over windows. One thread: a per-core figure.

usage: torch_pipeline.py NET_JSON MANIFEST      (prints one JSON object)
"""
import json
import os
import sys
import time
import wave

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn"))
from torch_peer import Net  # noqa: E402  the engine's layer list in PyTorch


def main():
    net_json, manifest = sys.argv[1], sys.argv[2]
    data = json.load(open(net_json))
    arch, f = data["architecture"], data["features"]
    torch.set_num_threads(1)
    net = Net(arch, data["weights"]).eval()
    c, t = arch["input"]["channels"], arch["input"]["time"]
    with torch.inference_mode():
        ours = torch.tensor(data["logits"]).reshape(data["n"], -1)
        theirs = net(torch.tensor(data["input"]).reshape(data["n"], c, t))
        agreement = float((theirs - ours).abs().max() / max(1.0, float(ours.abs().max())))

    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=f["sample_rate"], n_fft=f["n_fft"], win_length=f["n_fft"], hop_length=f["hop_length"],
        f_min=f["fmin"], f_max=f["fmax"], n_mels=f["n_mels"], center=False, power=2.0, norm="slaney",
        mel_scale="slaney")
    norm = data["normalisation"]
    mean = torch.tensor(norm["mean"]).reshape(1, -1, 1)
    std = torch.tensor(norm["std"]).reshape(1, -1, 1)
    hop_frames = round(data["analysis"]["hop_s"] * f["sample_rate"] / f["hop_length"])
    edge = np.zeros(round(data["analysis"].get("edge_s", 0.0) * f["sample_rate"]), dtype=np.float32)
    files = [line.strip() for line in open(manifest) if line.strip()]

    audio_s = 0.0
    windows = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with torch.inference_mode():
        for path in files:
            with wave.open(path) as w:
                pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
            audio_s += len(pcm) / f["sample_rate"]
            pcm = np.concatenate([edge, pcm, edge])
            spec = mel(torch.from_numpy(pcm))  # [mels][frames]
            db = 10.0 * torch.log10(torch.clamp(spec, min=f["amin"])) - 10.0 * np.log10(max(f["amin"], f["ref"]))
            db = torch.maximum(db, db.amax(dim=0, keepdim=True) - f["top_db"])
            x = db.unfold(1, t, hop_frames).permute(1, 0, 2)  # [windows][mels][t]
            if norm["per_utterance"]:
                x = x - x.mean(dim=2, keepdim=True)
            x = (x - mean) / std
            p = torch.softmax(net(x.contiguous()), dim=1).mean(dim=0)
            windows += x.shape[0]
            p.argmax()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(json.dumps({"files": len(files), "audio_s": audio_s, "windows": windows, "cpu_s": cpu, "wall_s": wall,
                      "agreement": agreement, "torch": torch.__version__, "torchaudio": torchaudio.__version__}))


if __name__ == "__main__":
    main()
