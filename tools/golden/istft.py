#!/usr/bin/python3
"""Goldens for Kinema's inverse STFT (dev.kinema.audio.Stft.inverse) against torch 1.13's istft.

Input: the 16 kHz lena excerpt that tools/golden/audio_mel.py wrote (golden/audio/lena-16k.npy).
Each case takes its STFT, multiplies it by a mask (a smooth ramp over bins and frames, as a
separation mask would be), so the spectrogram is no longer the STFT of any signal and the
overlap-add's window-square normalisation matters, and inverts it with torch.istft.

Writes to kinema-core/src/test/resources/golden/audio/ (read by InverseStftGoldenTest):
  istft-<case>-real.npy, istft-<case>-imag.npy   the masked spectrogram, bins x frames (float64)
  istft-<case>.npy                                torch.istft's signal (float64), as long as the input
  istft-cases.json                                each case's parameters

  /usr/bin/python3 tools/golden/istft.py
"""
import json
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "kinema-core", "src", "test", "resources", "golden", "audio")

# name, n_fft, win_length, hop_length, window, center
CASES = [
    ("hann-512-hop-256", 512, 512, 256, "hann", True),
    ("hamming-400-win-300-hop-100", 400, 300, 100, "hamming", True),
    ("hamming-256-hop-64-not-centred", 256, 256, 64, "hamming", False),
]


def write(name, array):
    # float64 in a .npy the Java side reads as float32: both compute from the stored values
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(array.astype(np.float32)))
    return torch.from_numpy(array.astype(np.float32)).to(torch.float64)


def main():
    x = torch.from_numpy(np.load(os.path.join(OUT, "lena-16k.npy"))).to(torch.float64)
    cases = []
    for name, n_fft, win, hop, window, center in CASES:
        w = (torch.hann_window if window == "hann" else torch.hamming_window)(win, dtype=torch.float64)
        spec = torch.stft(x, n_fft, hop_length=hop, win_length=win, window=w, center=center,
                          pad_mode="reflect", return_complex=True)
        bins, frames = spec.shape
        mask = (torch.linspace(0.2, 1.0, bins, dtype=torch.float64)[:, None]
                * (0.6 + 0.4 * torch.cos(torch.linspace(0, 6.0, frames, dtype=torch.float64)))[None, :])
        masked = spec * mask
        real = write("istft-" + name + "-real", masked.real.numpy())
        imag = write("istft-" + name + "-imag", masked.imag.numpy())
        stored = torch.complex(real, imag)
        length = x.shape[0] if center else n_fft + hop * (frames - 1)
        y = torch.istft(stored, n_fft, hop_length=hop, win_length=win, window=w, center=center, length=length)
        write("istft-" + name, y.numpy())
        cases.append({"name": name, "n_fft": n_fft, "win_length": win, "hop_length": hop, "window": window,
                      "center": center, "length": length, "shape": [bins, frames]})
        print(name, (bins, frames), length)
    with open(os.path.join(OUT, "istft-cases.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
