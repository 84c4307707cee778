#!/usr/bin/python3
"""Goldens for Kinema's audio front end (dev.kinema.audio: Stft, MelSpectrogram) against torchaudio
0.13's Spectrogram and MelSpectrogram, on a real recording: half a second of
/work/shared/data/lena.wav (npm audio-lena 3.0.1, MIT; 44.1 kHz mono s16), from 3.0 s.

Writes to kinema-core/src/test/resources/golden/audio/ (read by MelSpectrogramGoldenTest):
  lena-44k.npy         the excerpt at 44.1 kHz as torchaudio.load reads it (s16 / 32768)
  lena-16k.npy         the excerpt resampled to 16 kHz by torchaudio.functional.resample (the input of the 16 kHz cases)
  <case>.npy           each case's output (float32 of a float64 computation), cases in cases.json

  /usr/bin/python3 tools/golden/audio_mel.py [path/to/lena.wav]
"""
import functools
import json
import os
import sys

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "kinema-core", "src", "test", "resources", "golden", "audio")
WAV = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/lena.wav"

# The windows in float64 (torch makes them float32, and .double() would keep that rounding, which
# dominates the error of the weakest bins); the mel filterbank stays torchaudio's float32 one.
HANN = functools.partial(torch.hann_window, dtype=torch.float64)
HAMMING = functools.partial(torch.hamming_window, dtype=torch.float64)

# name, input, transform kwargs (torchaudio's own names), whether log(x + 1e-6) follows
CASES = [
    ("kinema-defaults-logmel", "lena-16k", "mel",
     dict(sample_rate=16000, n_fft=400, hop_length=160, n_mels=64), True),
    ("slaney-norm-magnitude", "lena-44k", "mel",
     dict(sample_rate=44100, n_fft=1024, win_length=800, hop_length=256, n_mels=40, f_min=50.0, f_max=8000.0,
          power=1.0, norm="slaney", mel_scale="slaney"), False),
    ("htk-hamming-not-centred", "lena-16k", "mel",
     dict(sample_rate=16000, n_fft=512, win_length=400, hop_length=100, n_mels=80, f_min=20.0,
          window_fn=HAMMING, center=False), True),
    ("power-spectrogram", "lena-16k", "spec", dict(n_fft=256, hop_length=64, power=2.0), False),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    wave, rate = torchaudio.load(WAV)
    assert rate == 44100, rate
    excerpt = wave[0, 3 * rate: 3 * rate + rate // 2].to(torch.float64)
    inputs = {"lena-44k": excerpt,
              "lena-16k": torchaudio.functional.resample(excerpt, rate, 16000)}
    for name, x in inputs.items():
        np.save(os.path.join(OUT, name + ".npy"), x.numpy().astype(np.float32))
        # The Java side reads the float32 file: compute from exactly those values.
        inputs[name] = torch.from_numpy(x.numpy().astype(np.float32)).to(torch.float64)
    cases = []
    for name, source, kind, kwargs, log in CASES:
        kwargs = dict(kwargs)
        kwargs.setdefault("window_fn", HANN)
        if kind == "mel":
            t = torchaudio.transforms.MelSpectrogram(**kwargs)
        else:
            t = torchaudio.transforms.Spectrogram(**kwargs)
        y = t.double()(inputs[source])
        if log:
            y = torch.log(y + 1e-6)
        np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(y.numpy().astype(np.float32)))
        described = {k: (v.func.__name__ + "(float64)" if callable(v) else v) for k, v in kwargs.items()}
        cases.append({"name": name, "input": source, "kind": kind, "log": log, "params": described,
                      "shape": list(y.shape)})
        print(name, tuple(y.shape))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"torchaudio": torchaudio.__version__, "torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
