#!/usr/bin/python3
"""What torchvision's video classification preset makes of real frames (run with /usr/bin/python3).

Decodes frames FRAMES of ../shared/data/cup.mp4 (H.264 640x480, bit-exact to decode, so PyAV's
FFmpeg and Kinema's give the same YUV) with PyAV to RGB24 at full size, and applies
torchvision 0.14's ``torchvision.transforms._presets.VideoClassification(crop_size=(112, 112),
resize_size=(128, 171))``: the preprocessing of torchvision's Kinetics-400 video weights
(``R3D_18_Weights.KINETICS400_V1.transforms()``), i.e. resize every frame to 128x171 (bilinear,
no antialiasing, on uint8), centre crop 112, scale to [0, 1], normalise with mean (0.43216,
0.394666, 0.37645) and std (0.22803, 0.22145, 0.216989), and lay out as C x T x H x W.

Writes kinema-core/src/test/resources/golden/preprocessing/cup_video_preset.json (small):
  frames          the frame indices
  raw_mean        per frame, per channel, the mean byte value of the full-size decoded frame
                  (to tell decoder differences from resize differences)
  mean            per channel, per frame, the mean of the preset's output
  sample_step, sample_offset, sample
                  the output at rows and columns offset, offset + step, ... (channel, frame, y, x)
Kinema's test is kinema-core's VideoPresetGoldenTest.
"""
import argparse
import json
import os

import av
import numpy as np
import torch
import torchvision
from torchvision.transforms._presets import VideoClassification

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_VIDEO = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "cup.mp4"))
DEFAULT_OUT = os.path.join(ROOT, "kinema-core", "src", "test", "resources", "golden", "preprocessing",
                           "cup_video_preset.json")
FRAMES = [0, 40, 80, 120]
STEP, OFFSET = 8, 3


def decode(path, indices):
    wanted = set(indices)
    frames = {}
    with av.open(path) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i in wanted:
                frames[i] = frame.to_ndarray(format="rgb24")
            if len(frames) == len(wanted):
                break
    return np.stack([frames[i] for i in indices])  # T x H x W x 3 uint8


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--video", default=DEFAULT_VIDEO)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    raw = decode(args.video, FRAMES)
    preset = VideoClassification(crop_size=(112, 112), resize_size=(128, 171))
    with torch.no_grad():
        out = preset(torch.from_numpy(raw).permute(0, 3, 1, 2))  # T x C x H x W uint8 in, C x T x H x W out
    out = out.numpy().astype(np.float64)
    sample = out[:, :, OFFSET::STEP, OFFSET::STEP]
    golden = {
        "video": os.path.basename(args.video),
        "made_by": "tools/golden/video_preset.py: PyAV %s, torch %s, torchvision %s" % (
            av.__version__, torch.__version__, torchvision.__version__),
        "preset": repr(preset),
        "frames": FRAMES,
        "shape": list(out.shape),
        "raw_mean": [[round(float(raw[t, :, :, c].mean()), 4) for c in range(3)] for t in range(len(FRAMES))],
        "mean": [[round(float(out[c, t].mean()), 6) for t in range(len(FRAMES))] for c in range(3)],
        "sample_step": STEP,
        "sample_offset": OFFSET,
        "sample_shape": list(sample.shape),
        "sample": [round(float(v), 5) for v in sample.reshape(-1)],
    }
    with open(args.out, "w") as f:
        json.dump(golden, f)
        f.write("\n")
    print("wrote", args.out, os.path.getsize(args.out), "bytes;", golden["preset"], "means", golden["mean"])


if __name__ == "__main__":
    main()
