#!/usr/bin/python3
"""Golden RoIAlign outputs from torchvision 0.14's torchvision.ops.roi_align (aligned=True).
RoiAlignTest compares Kinema's nn.RoiAlign with this file (no Python needed).

    /usr/bin/python3 tools/golden/roi_align.py kinema-core/src/test/resources/golden/nn

Input is a formula the Java test repeats: features of shape N x C x H x W = 2 x 3 x 7 x 9 with
features.flatten()[i] = sin(0.37 i) + 0.01 i. The boxes (batch index, x1, y1, x2, y2, in input
coordinates) cover an inner box, one crossing the border, one partly outside, a tiny one, one
whose corner is exactly on the last pixel, and one on the second image; each case gives the
output size, spatial_scale and sampling_ratio.
"""
import json
import math
import os
import sys

import torch
import torchvision
from torchvision.ops import roi_align

N, C, H, W = 2, 3, 7, 9

ROIS = [
    [0, 1.0, 1.0, 5.0, 4.0],
    [0, -2.0, -1.5, 3.3, 2.7],
    [1, 6.5, 4.0, 11.0, 9.5],
    [1, 2.2, 3.1, 2.6, 3.3],
    [0, 0.0, 0.0, 8.0, 6.0],
    [1, 0.4, 0.9, 7.7, 5.2],
]

CASES = [
    {"name": "adaptive_2x2", "output": [2, 2], "spatial_scale": 1.0, "sampling_ratio": -1},
    {"name": "sampling2_3x4", "output": [3, 4], "spatial_scale": 1.0, "sampling_ratio": 2},
    {"name": "scale_half_7x7", "output": [7, 7], "spatial_scale": 0.5, "sampling_ratio": -1},
    {"name": "scale_quarter_1x1", "output": [1, 1], "spatial_scale": 0.25, "sampling_ratio": 0},
]


def features():
    i = torch.arange(N * C * H * W, dtype=torch.float64)
    return (torch.sin(0.37 * i) + 0.01 * i).float().reshape(N, C, H, W)


def main():
    out_dir = sys.argv[1]
    x = features()
    rois = torch.tensor(ROIS, dtype=torch.float32)
    cases = []
    for case in CASES:
        y = roi_align(x, rois, output_size=tuple(case["output"]), spatial_scale=case["spatial_scale"],
                      sampling_ratio=case["sampling_ratio"], aligned=True)
        cases.append(dict(case, shape=list(y.shape), values=[float(v) for v in y.flatten()]))
    golden = {"torch": torch.__version__, "torchvision": torchvision.__version__,
              "input_shape": [N, C, H, W], "rois": ROIS, "cases": cases}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "roi_align.json"), "w") as f:
        json.dump(golden, f, indent=1)


if __name__ == "__main__":
    main()
