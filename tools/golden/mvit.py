#!/usr/bin/python3
"""Golden files for Kinema's MViT: torchvision 0.14's mvit_v1_b and mvit_v2_s, block for block as
published (16 blocks, widths 96 to 768) but built for a 4x32x32 clip (spatial_size and temporal_size are
torchvision's own arguments; they size the position tables), filled with DeterministicFill's
"weights" (the formula is in tools/golden/videoresnet.py) and run in eval mode on a deterministic clip.

Written per model: torchvision's state_dict names and shapes, its parameter count at this clip and at
the reference 16x224x224 with 400 classes, the eval logits, and the gradient signatures
(KernelCheck.Signature) of the clip and of every parameter from sum(logits * g) in eval mode (MViT has
no BatchNorm; eval mode only turns dropout and stochastic depth off). MViTParityTest reads them.

    /usr/bin/python3 tools/golden/mvit.py
"""
import os
import sys

import numpy as np
import torch
import torchvision
import torchvision.models.video.mvit as tv_mvit
from torchvision.models.video import mvit_v1_b, mvit_v2_s

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from videoresnet import compact_json, fill, signature, state_dict_shapes, uniform  # noqa: E402

MODELS = {"mvit_v1_b": mvit_v1_b, "mvit_v2_s": mvit_v2_s}
CLASSES = 10
INPUT_SHAPE = (2, 3, 4, 32, 32)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "kinema-core", "src", "test", "resources", "golden", "mvit")


def gradients(model, clip):
    """Eval-mode forward and backward from sum(logits * g): signatures of the clip's and every parameter's gradient."""
    x = clip.clone().requires_grad_()
    model.zero_grad()
    logits = model(x)
    g = torch.from_numpy(uniform("logits.grad", logits.numel()).reshape(tuple(logits.shape)))
    (logits * g).sum().backward()
    out = {"input": signature(x.grad, uniform("r.input", x.numel()))}
    for name, p in model.named_parameters():
        out[name] = signature(p.grad, uniform("r." + name, p.numel()))
    return out


def sized(builder, temporal_size, spatial_size):
    """The builder's model for another clip: mvit_v1_b and mvit_v2_s pass the reference clip to _mvit
    themselves, so _mvit is wrapped to replace it."""
    original = tv_mvit._mvit

    def resized(**kwargs):
        kwargs.update(temporal_size=temporal_size, spatial_size=tuple(spatial_size))
        return original(**kwargs)

    tv_mvit._mvit = resized
    try:
        return builder(num_classes=CLASSES)
    finally:
        tv_mvit._mvit = original


def golden(name):
    builder = MODELS[name]
    reference = sum(p.numel() for p in builder(num_classes=400).parameters())
    model = sized(builder, INPUT_SHAPE[2], INPUT_SHAPE[3:])
    fill(model)
    model.eval()
    clip = torch.from_numpy(uniform("input", int(np.prod(INPUT_SHAPE))).reshape(INPUT_SHAPE))
    with torch.no_grad():
        logits = model(clip)
    return {
        "model": name,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numClasses": CLASSES,
        "input": {"name": "input", "shape": list(INPUT_SHAPE)},
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "referenceParameterCount": reference,
        "logitsShape": list(logits.shape),
        "logits": [float(x) for x in logits.flatten().tolist()],
        "stateDict": state_dict_shapes(model),
        "gradients": gradients(model, clip),
    }


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in (sys.argv[1:] or list(MODELS)):
        g = golden(name)
        path = os.path.join(OUT_DIR, name + ".json")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(compact_json(g) + "\n")
        os.replace(tmp, path)
        print(f"{name}: {len(g['stateDict'])} tensors, {g['parameterCount']} parameters "
              f"({g['referenceParameterCount']} at 16x224x224, 400 classes), logits in "
              f"[{min(g['logits']):.3f}, {max(g['logits']):.3f}] -> {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
