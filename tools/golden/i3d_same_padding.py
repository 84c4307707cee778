#!/usr/bin/python3
"""Golden outputs of the port's "SAME" padding (piergiaj/pytorch-i3d pads with F.pad before a
padding-free conv or max pool, computing the pad from the input size), for I3dTest.

    /usr/bin/python3 tools/golden/i3d_same_padding.py kinema-core/src/test/resources/dev/kinema/models

Writes i3d_same_padding.txt: named arrays, one per line, "name d0xd1x... v0 v1 ...": an odd-sized
input, a stride-2 3x3x3 conv weight and its output, and the outputs of the port's 1x3x3 / stride
1x2x2 and 2x2x2 / stride 2 max pools on the ReLU of the input.
"""
import os
import sys

import torch
import torch.nn.functional as F


def same_pad(x, kernel, stride):
    pads = []
    for axis in (2, 1, 0):   # F.pad wants the last axis first
        size = x.shape[2 + axis]
        if size % stride[axis] == 0:
            total = max(kernel[axis] - stride[axis], 0)
        else:
            total = max(kernel[axis] - size % stride[axis], 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads)


def line(name, t):
    return "%s %s %s" % (name, "x".join(str(d) for d in t.shape), " ".join("%.8g" % v for v in t.flatten().tolist()))


def main():
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 6, 7)
    w = torch.randn(3, 2, 3, 3, 3)
    conv = F.conv3d(same_pad(x, (3, 3, 3), (2, 2, 2)), w, stride=2)
    r = F.relu(x)
    pool_a = F.max_pool3d(same_pad(r, (1, 3, 3), (1, 2, 2)), (1, 3, 3), (1, 2, 2))
    pool_b = F.max_pool3d(same_pad(r, (2, 2, 2), (2, 2, 2)), (2, 2, 2), (2, 2, 2))
    path = os.path.join(sys.argv[1], "i3d_same_padding.txt")
    with open(path + ".tmp", "w") as f:
        for name, t in (("input", x), ("weight", w), ("conv", conv), ("pool_1x3x3", pool_a), ("pool_2x2x2", pool_b)):
            f.write(line(name, t) + "\n")
    os.replace(path + ".tmp", path)
    print(path, tuple(conv.shape), tuple(pool_a.shape), tuple(pool_b.shape))


if __name__ == "__main__":
    main()
