"""The peer of features_bench's default_mfcc case: torchaudio's MFCC with the same settings
(16 kHz, 400-point frames every 160, Hann, no centring, 64 Slaney mels from 50 Hz to 8 kHz,
power 2, 40 ortho DCT-II coefficients), one thread, on the same 10 s of RAVDESS speech.
Prints one JSON line like features_bench."""

import json
import pathlib
import sys
import time

import torch
import torchaudio

torch.set_num_threads(1)
shared = pathlib.Path(sys.argv[1])
golden = shared / "golden" / "librosa-0.11.0" / "ravdess_03-01-05-01-01-01-01.speech16k.json"
samples = torch.tensor(json.loads(golden.read_text())["samples_float32"], dtype=torch.float32)
audio = samples.repeat(160000 // samples.numel() + 1)[:160000].unsqueeze(0)

mfcc = torchaudio.transforms.MFCC(
    sample_rate=16000, n_mfcc=40, dct_type=2, norm="ortho", log_mels=False,
    melkwargs=dict(n_fft=400, win_length=400, hop_length=160, f_min=50.0, f_max=8000.0, n_mels=64,
                   center=False, power=2.0, norm="slaney", mel_scale="slaney"))
quick = "--quick" in sys.argv
with torch.inference_mode():
    mfcc(audio)
    batches = []
    for _ in range(5 if quick else 15):
        start = time.perf_counter()
        for _ in range(4):
            mfcc(audio)
        batches.append((time.perf_counter() - start) / 4 * 1000 / 10)
batches.sort()
print(json.dumps({"case": "torchaudio_default_mfcc", "unit": "ms per s of audio", "best": batches[0],
                  "median": batches[len(batches) // 2], "version": torchaudio.__version__}))
