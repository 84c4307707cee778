#!/usr/bin/python3
"""Parity of Kinema's ports of torchvision's video models, through real safetensors files.

For each NAME (default: r3d_18 mc3_18 r2plus1d_18) builds torchvision.models.video.NAME with
--classes classes, random weights and random BatchNorm running statistics from a fixed seed (no
download), writes its state_dict as safetensors (tools/golden/weights_e2e.py's writer), a random
N x 3 x T x S x S input and the eval-mode logits into --work, runs

    ./kinema run-model --model NAME --weights NAME.safetensors --input NAME_input.npy --output NAME_kinema.npy

and prints max |Kinema - PyTorch| per model; exits 1 if any exceeds --tolerance or fails.
The files are large (r3d_18: 133 MB) and stay in --work; nothing is committed.

  /usr/bin/python3 tools/golden/torchvision_parity.py --work /tmp/parity
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import torch
import torchvision
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weights_e2e import write_safetensors  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def randomised(name, classes, seed):
    torch.manual_seed(seed)
    model = getattr(torchvision.models.video, name)(num_classes=classes)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm3d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
    return model.eval()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=["r3d_18", "mc3_18", "r2plus1d_18"])
    p.add_argument("--work", default="/tmp/kinema-parity")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--frames", type=int, default=8)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--kinema", default=os.path.join(ROOT, "kinema"))
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    failed = False
    for i, name in enumerate(a.names):
        model = randomised(name, a.classes, 1000 + i)
        x = torch.randn(a.batch, 3, a.frames, a.size, a.size, generator=torch.Generator().manual_seed(i))
        with torch.no_grad():
            logits = model(x).numpy()
        w = os.path.join(a.work, name + ".safetensors")
        xi = os.path.join(a.work, name + "_input.npy")
        yo = os.path.join(a.work, name + "_kinema.npy")
        write_safetensors(w, model.state_dict(), {"format": "pt"})
        np.save(xi, x.numpy())
        np.save(os.path.join(a.work, name + "_torch.npy"), logits)
        if os.path.exists(yo):
            os.remove(yo)
        run = subprocess.run([a.kinema, "run-model", "--model", name, "--weights", w, "--input", xi, "--output", yo],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: kinema run-model failed ({run.returncode}): {run.stderr.strip().splitlines()[-1:]}")
            failed = True
            continue
        diff = float(np.abs(np.load(yo) - logits).max())
        scale = float(np.abs(logits).max())
        ok = diff <= a.tolerance
        failed |= not ok
        print(f"{name}: max |Kinema - PyTorch| = {diff:.3g} (logits up to {scale:.3g}) {'ok' if ok else 'TOO LARGE'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
