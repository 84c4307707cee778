#!/usr/bin/python3
"""A small TorchScript video model and its logits, made with Debian's torch 1.13 (run with /usr/bin/python3).

Writes into kinema-core/src/test/resources/golden/torchscript/ (or --out DIR):

  tiny_video.pt       torch.jit.trace of TinyVideoNet below (N x 3 x 4 x 32 x 32 -> N x 5), in eval
                      mode, weights and BatchNorm statistics from a fixed seed (about 60 KB)
  tiny_video_input.npy   a 2 x 3 x 4 x 32 x 32 float32 input
  tiny_video_logits.npy  the traced module's output for it, 2 x 5 float32
  tiny_video_card.json   the model card kinema import --torchscript takes for it
  state_dict.pt       torch.save of a small state_dict (a zip without code/): not TorchScript
  legacy_pickle.pt    the same with _use_new_zipfile_serialization=False (a raw pickle)

Kinema must reproduce the logits within 1e-5:
  ./kinema run-model --torchscript tiny_video.pt --input tiny_video_input.npy --output y.npy
(the tests are kinema-core's TorchScriptModelTest and kinema-cli's RunModelCommandTest).

The file records the torch version that saved it (1.13 here); libtorch 2.7.1, which DJL 0.35.1
runs, reads files from older versions (docs/weights.md says what happens with newer ones).
"""
import argparse
import json
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "kinema-core", "src", "test", "resources", "golden", "torchscript"))
CLASSES, FRAMES, SIZE, BATCH = 5, 4, 32, 2


class TinyVideoNet(nn.Module):
    """Two 3D conv blocks, global average pooling and a linear classifier."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 8, kernel_size=3, stride=(1, 2, 2), padding=1, bias=False)
        self.bn1 = nn.BatchNorm3d(8)
        self.conv2 = nn.Conv3d(8, 16, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm3d(16)
        self.fc = nn.Linear(16, CLASSES)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        return self.fc(x.mean(dim=(2, 3, 4)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    model = TinyVideoNet()
    with torch.no_grad():
        for bn in (model.bn1, model.bn2):
            # Non-trivial running statistics, so eval mode is really checked.
            bn.running_mean.uniform_(-0.2, 0.2)
            bn.running_var.uniform_(0.5, 1.5)
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.1, 0.1)
    model.eval()
    x = torch.rand(BATCH, 3, FRAMES, SIZE, SIZE, generator=torch.Generator().manual_seed(1)) * 2 - 1
    traced = torch.jit.trace(model, x)
    path = os.path.join(args.out, "tiny_video.pt")
    traced.save(path)
    with torch.no_grad():
        logits = torch.jit.load(path)(x)
        assert torch.allclose(logits, model(x), atol=1e-6)
    np.save(os.path.join(args.out, "tiny_video_input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "tiny_video_logits.npy"), logits.numpy().astype(np.float32))
    card = {
        "name": "tiny-video-torchscript",
        "input": {"modality": "rgb", "channels": 3, "frames": FRAMES, "stride": 2, "fps": None,
                  "size": SIZE, "resize": [SIZE], "crop": "center",
                  "mean": [0.43216, 0.394666, 0.37645], "std": [0.22803, 0.22145, 0.216989]},
        "categories": ["class_%d" % i for i in range(CLASSES)],
        "weights": {"source": "torchscript", "file": "tiny_video.pt", "mapping": None,
                    "origin": "tools/golden/torchscript_tiny.py, torch " + torch.__version__},
        "params": sum(p.numel() for p in model.parameters()),
        "macs": None,
    }
    with open(os.path.join(args.out, "tiny_video_card.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    small = nn.Linear(2, 2).state_dict()
    torch.save(small, os.path.join(args.out, "state_dict.pt"))
    torch.save(small, os.path.join(args.out, "legacy_pickle.pt"), _use_new_zipfile_serialization=False)
    print("wrote", path, os.path.getsize(path), "bytes; logits", logits.numpy().tolist())


if __name__ == "__main__":
    main()
