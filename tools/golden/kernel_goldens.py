#!/usr/bin/python3
"""Golden signatures for Kinema's kernel conformance check (dev.kinema.nn.KernelCheck).

Reads kernel-geometries.txt (every convolution geometry of every registered Kinema model at its
smallest accepted clip, batch 2, as declared and as the kernel gets it; written by KernelGeometriesTest, see below), runs each one
forward and backward in torch with oneDNN switched off (torch.backends.mkldnn), and writes
kernel-goldens.tsv beside it: for each geometry and each of y, dx, dw (and db with a bias), the
signature sum(t*r), sum(|t*r|), sum(|t|), max(|t|), in float64 from float32 tensors.

Probe tensors follow DeterministicFill's formula (see videoresnet.py), named after the geometry's
line L:  x = uniform(L + ".x"), weight = values(L + ".weight"), bias = values(L + ".bias"),
the output gradient g = uniform(L + ".g"), and the checksum weights r = uniform(L + ".r" + tensor).
The backward pass starts from sum(y * g).

Regenerate after adding a model:
    mvn -q -pl kinema-core test -Dtest=KernelGeometriesTest -Dkinema.writeGeometries=true
    /usr/bin/python3 tools/golden/kernel_goldens.py
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from videoresnet import uniform, values  # noqa: E402  (DeterministicFill's formula)

DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kinema-core", "src", "main",
                   "resources", "dev", "kinema", "nn")


def parse(line):
    f = line.split(" ")
    dims = lambda s: tuple(int(v) for v in s.split("x"))
    return {
        "dims": int(f[0][0]), "input": dims(f[1]), "filters": int(f[2][1:]), "kernel": dims(f[3][1:]),
        "stride": dims(f[4][1:]), "padding": dims(f[5][1:]), "dilation": dims(f[6][1:]),
        "groups": int(f[7][1:]), "bias": f[8] == "b1",
    }


def tensor(array, shape):
    return torch.from_numpy(array.reshape(shape).copy())


def signature(t, r):
    t = t.detach().double().flatten()
    r = r.double().flatten()
    return (float((t * r).sum()), float((t * r).abs().sum()), float(t.abs().sum()), float(t.abs().max()))


def probe(line):
    g = parse(line)
    x = tensor(uniform(line + ".x", math.prod(g["input"])), g["input"]).requires_grad_()
    wshape = (g["filters"], g["input"][1] // g["groups"]) + g["kernel"]
    w = tensor(values(line + ".weight", wshape), wshape).requires_grad_()
    b = tensor(values(line + ".bias", (g["filters"],)), (g["filters"],)).requires_grad_() if g["bias"] else None
    conv = F.conv3d if g["dims"] == 3 else F.conv2d
    y = conv(x, w, b, g["stride"], g["padding"], g["dilation"], g["groups"])
    grad = tensor(uniform(line + ".g", y.numel()), tuple(y.shape))
    (y * grad).sum().backward()
    out = [("y", y), ("dx", x.grad), ("dw", w.grad)] + ([("db", b.grad)] if b is not None else [])
    return [(name, signature(t, torch.from_numpy(uniform(line + ".r" + name, t.numel())))) for name, t in out]


def main():
    with open(os.path.join(DIR, "kernel-geometries.txt")) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    rows = ["# geometry\ttensor\tsum(t*r)\tsum|t*r|\tsum|t|\tmax|t|  (tools/golden/kernel_goldens.py, torch %s, "
            "oneDNN off)" % torch.__version__]
    with torch.backends.mkldnn.flags(enabled=False):
        for i, line in enumerate(lines):
            for name, sig in probe(line):
                rows.append("\t".join([line, name] + ["%.17g" % v for v in sig]))
            print("%d/%d %s" % (i + 1, len(lines), line), file=sys.stderr)
    path = os.path.join(DIR, "kernel-goldens.tsv")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(rows) + "\n")
    os.replace(path + ".tmp", path)
    print("wrote %d geometries to %s" % (len(lines), path))


if __name__ == "__main__":
    main()
