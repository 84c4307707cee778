#!/usr/bin/python3
"""Golden gradients of a 7x7x7 stride-2 padding-3 Conv3d on short clips (T = 5, 6, 7), the shapes
on which the PyTorch engine's oneDNN weight-gradient kernel returns garbage, hangs or crashes.
GuardedConv3dTest compares Kinema's convolution with these files (no Python needed).

    /usr/bin/python3 tools/golden/conv3d_short_clip.py kinema-core/src/test/resources/golden/conv3d

oneDNN is switched off here (torch.backends.mkldnn), so PyTorch uses its reference convolution: with
it on, torch 1.13 fails on the same shapes (segfault on T=5, wrong weight gradient on T=6 and 7).
Inputs are formulas the Java test repeats: x = sin(0.1 i), w = cos(0.05 i), the loss is
sum(y * sin(0.07 i)) over the flat index i of each tensor.

Writes short_clip_T{T}_dw.npy (the weight gradient, O x C x 7 x 7 x 7) and short_clip_T{T}_dx.npy
(the input gradient, N x C x T x H x W).
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

N, C, O, H, W = 2, 3, 4, 16, 16
KERNEL, STRIDE, PADDING = 7, 2, 3


def wave(shape, step, fn):
    return fn(torch.arange(math.prod(shape), dtype=torch.float32) * step).reshape(shape)


def main():
    out_dir = sys.argv[1]
    torch.backends.mkldnn.enabled = False
    for t in (5, 6, 7):
        x = wave((N, C, t, H, W), 0.1, torch.sin).requires_grad_(True)
        w = wave((O, C, KERNEL, KERNEL, KERNEL), 0.05, torch.cos).requires_grad_(True)
        y = F.conv3d(x, w, None, STRIDE, PADDING)
        (y * wave(tuple(y.shape), 0.07, torch.sin)).sum().backward()
        for name, grad in (("dw", w.grad), ("dx", x.grad)):
            path = os.path.join(out_dir, "short_clip_T%d_%s.npy" % (t, name))
            np.save(path + ".tmp.npy", grad.numpy().astype(np.float32))
            os.replace(path + ".tmp.npy", path)
            print(path, tuple(grad.shape))


if __name__ == "__main__":
    main()
