#!/usr/bin/python3
"""Golden parameter names and shapes of I3D as the PyTorch port piergiaj/pytorch-i3d names them
(InceptionI3d, 400 classes), for RGB (3 channels) and flow (2): what I3dTest compares i3d and
i3d-flow with, without Python.

    /usr/bin/python3 tools/golden/i3d_names.py kinema-core/src/test/resources/dev/kinema/models

The network is declared here from the port's published structure (module names Conv3d_1a_7x7,
Conv3d_2b_1x1, Conv3d_2c_3x3, Mixed_3b..Mixed_5c with branches b0, b1a, b1b, b2a, b2b, b3a (pool),
b3b, each unit a `conv3d` without bias and a `bn`, and `logits.conv3d` with bias), only the
modules that hold parameters, and counted by torch. Writes i3d_rgb_state_dict.txt and
i3d_flow_state_dict.txt: "name shape" lines sorted by name, without num_batches_tracked, and the
trainable total as a comment on the first line.
"""
import os
import sys

import torch.nn as nn

MIXED = [
    ("Mixed_3b", [64, 96, 128, 16, 32, 32]),
    ("Mixed_3c", [128, 128, 192, 32, 96, 64]),
    ("Mixed_4b", [192, 96, 208, 16, 48, 64]),
    ("Mixed_4c", [160, 112, 224, 24, 64, 64]),
    ("Mixed_4d", [128, 128, 256, 24, 64, 64]),
    ("Mixed_4e", [112, 144, 288, 32, 64, 64]),
    ("Mixed_4f", [256, 160, 320, 32, 128, 128]),
    ("Mixed_5b", [256, 160, 320, 32, 128, 128]),
    ("Mixed_5c", [384, 192, 384, 48, 128, 128]),
]


class Unit(nn.Module):
    def __init__(self, cin, cout, k, norm=True):
        super().__init__()
        self.conv3d = nn.Conv3d(cin, cout, k, bias=not norm)
        if norm:
            self.bn = nn.BatchNorm3d(cout, eps=1e-3, momentum=0.01)


class Mixed(nn.Module):
    def __init__(self, cin, w):
        super().__init__()
        self.b0 = Unit(cin, w[0], 1)
        self.b1a = Unit(cin, w[1], 1)
        self.b1b = Unit(w[1], w[2], 3)
        self.b2a = Unit(cin, w[3], 1)
        self.b2b = Unit(w[3], w[4], 3)
        self.b3b = Unit(cin, w[5], 1)


def i3d(channels, classes):
    m = nn.Module()
    m.add_module("Conv3d_1a_7x7", Unit(channels, 64, 7))
    m.add_module("Conv3d_2b_1x1", Unit(64, 64, 1))
    m.add_module("Conv3d_2c_3x3", Unit(64, 192, 3))
    cin = 192
    for name, w in MIXED:
        m.add_module(name, Mixed(cin, w))
        cin = w[0] + w[2] + w[4] + w[5]
    m.add_module("logits", Unit(cin, classes, 1, norm=False))
    return m


def main():
    out_dir = sys.argv[1]
    for kind, channels in (("rgb", 3), ("flow", 2)):
        model = i3d(channels, 400)
        trainable = sum(p.numel() for p in model.parameters())
        lines = ["# I3D (piergiaj/pytorch-i3d names) %s, 400 classes: %d trainable parameters" % (kind, trainable)]
        for name, tensor in sorted(model.state_dict().items()):
            if not name.endswith("num_batches_tracked"):
                lines.append("%s %s" % (name, "x".join(str(d) for d in tensor.shape)))
        path = os.path.join(out_dir, "i3d_%s_state_dict.txt" % kind)
        with open(path + ".tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(path + ".tmp", path)
        print(path, len(lines) - 1, "entries,", trainable, "parameters")


if __name__ == "__main__":
    main()
