#!/usr/bin/python3
"""Golden files for Kinema's video ResNets: torchvision's r3d_18, mc3_18 and r2plus1d_18 filled with
deterministic "weights" and run in eval mode on a deterministic clip; for r2plus1d_34 (no torchvision
builder, built as VideoResNet(BasicBlock, [Conv2Plus1D] * 4, [3, 4, 6, 3], R2Plus1dStem)) only its
state_dict names, shapes and parameter count.

Full weights are far too big to commit, so every parameter and BatchNorm statistic is computed from
its state_dict name and element index by the formula below, which
kinema-core/src/main/java/dev/kinema/weights/DeterministicFill.java computes bit-for-bit in Java.
Only the expected logits and the list of state_dict names and shapes are written; the Java test
VideoResNetParityTest fills Kinema's model the same way and compares.

The formula (integers modulo 2**32, floats in float32):
  h = FNV-1a 32-bit of the UTF-8 name (offset basis 0x811C9DC5, prime 0x01000193)
  x = h + i * 0x9E3779B9 for the element with row-major flat index i, then murmur3's finaliser:
      x ^= x >> 16; x *= 0x85EBCA6B; x ^= x >> 13; x *= 0xC2B2AE35; x ^= x >> 16
  v = (x >> 8) * 2**-23 - 1, uniform in [-1, 1), exact in float32
  value, by the name's last part and the shape:
      running_var           1 + 0.5 v
      running_mean          0.1 v
      weight, rank 1        1 + 0.1 v       (a norm's scale)
      weight, rank >= 2     g v, g = float32(sqrt(3 / fan_in)), fan_in = numel / shape[0]
      anything else         0.1 v           (biases)
  The input clip is plain v under the name "input".

Run with Debian's torch (python3-torch, python3-torchvision; see tools/bench/setup.sh):
    /usr/bin/python3 tools/golden/videoresnet.py
"""
import json
import math
import os
import re
import sys

import numpy as np
import torch
import torchvision
from torchvision.models.video import mc3_18, r2plus1d_18, r3d_18
from torchvision.models.video.resnet import BasicBlock, Conv2Plus1D, R2Plus1dStem, VideoResNet

MODELS = {"r3d_18": r3d_18, "mc3_18": mc3_18, "r2plus1d_18": r2plus1d_18}
CLASSES = 10
INPUT_SHAPE = (2, 3, 8, 32, 32)
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "kinema-core", "src", "test", "resources", "golden", "videoresnet")

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
GOLDEN = 0x9E3779B9


def name_hash(name):
    h = FNV_OFFSET
    for b in name.encode("utf-8"):
        h ^= b
        h = (h * FNV_PRIME) & 0xFFFFFFFF
    return h


def uniform(name, count):
    """v in [-1, 1) for elements 0..count-1 of the tensor called name (float32)."""
    with np.errstate(over="ignore"):
        i = np.arange(count, dtype=np.uint64).astype(np.uint32)
        x = np.uint32(name_hash(name)) + i * np.uint32(GOLDEN)
        x ^= x >> np.uint32(16)
        x *= np.uint32(0x85EBCA6B)
        x ^= x >> np.uint32(13)
        x *= np.uint32(0xC2B2AE35)
        x ^= x >> np.uint32(16)
    return (x >> np.uint32(8)).astype(np.float32) * np.float32(2.0 ** -23) - np.float32(1.0)


def values(name, shape):
    count = int(np.prod(shape)) if len(shape) else 1
    v = uniform(name, count)
    last = name.rsplit(".", 1)[-1]
    if last == "running_var":
        centre, scale = 1.0, 0.5
    elif last == "weight" and len(shape) == 1:
        centre, scale = 1.0, 0.1
    elif last == "weight":
        centre, scale = 0.0, math.sqrt(3.0 / (count // shape[0]))
    else:
        centre, scale = 0.0, 0.1
    return (np.float32(centre) + np.float32(scale) * v).reshape(shape)


def r2plus1d_34(num_classes=400):
    """torchvision has no builder for it: the (2+1)D network with 3, 4, 6, 3 blocks per stage."""
    return VideoResNet(BasicBlock, [Conv2Plus1D] * 4, [3, 4, 6, 3], R2Plus1dStem, num_classes=num_classes)


def state_dict_shapes(model):
    return [[k, list(v.shape)] for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]


def names_only(name, builder):
    """For models too big to run here: torchvision's names, shapes and parameter count (400 classes)."""
    model = builder()
    return {
        "model": name,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numClasses": 400,
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "stateDict": state_dict_shapes(model),
    }


def fill(model):
    state = model.state_dict()
    filled = {}
    for name, tensor in state.items():
        if name.endswith("num_batches_tracked"):
            filled[name] = tensor
            continue
        filled[name] = torch.from_numpy(values(name, tuple(tensor.shape)))
    model.load_state_dict(filled)


def golden(name):
    model = MODELS[name](num_classes=CLASSES)
    fill(model)
    model.eval()
    clip = torch.from_numpy(uniform("input", int(np.prod(INPUT_SHAPE))).reshape(INPUT_SHAPE))
    with torch.no_grad():
        logits = model(clip)
    state = state_dict_shapes(model)
    gradients = training_gradients(model, clip)
    return {
        "model": name,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numClasses": CLASSES,
        "input": {"name": "input", "shape": list(INPUT_SHAPE)},
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "logitsShape": list(logits.shape),
        "logits": [float(x) for x in logits.flatten().tolist()],
        "stateDict": state,
        "gradients": gradients,
    }


def signature(t, r):
    """KernelCheck.Signature: sum(t*r), sum(|t*r|), sum(|t|), max(|t|), in float64."""
    t = t.detach().double().flatten()
    r = torch.from_numpy(r).double()
    return [float((t * r).sum()), float((t * r).abs().sum()), float(t.abs().sum()), float(t.abs().max())]


def training_gradients(model, clip):
    """One training-mode forward and backward (BatchNorm on batch statistics) from sum(logits * g), with
    oneDNN off: the signature of the clip's gradient and of every parameter's, weighted by
    uniform("r." + name)."""
    model.train()
    x = clip.clone().requires_grad_()
    with torch.backends.mkldnn.flags(enabled=False):
        logits = model(x)
        g = torch.from_numpy(uniform("logits.grad", logits.numel()).reshape(tuple(logits.shape)))
        (logits * g).sum().backward()
    out = {"input": signature(x.grad, uniform("r.input", x.numel()))}
    for name, p in model.named_parameters():
        out[name] = signature(p.grad, uniform("r." + name, p.numel()))
    model.eval()
    return out


def compact_json(value):
    """Indented JSON with every list of numbers, and every [name, shape] pair, on one line."""
    text = json.dumps(value, indent=1)
    text = re.sub(r"\[\s+([^\[\]{}\"]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    return re.sub(r"\[\s+(\"[^\"]*\"),\s+(\[[^\[\]]*\])\s+\]", r"[\1, \2]", text)


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in (sys.argv[1:] or list(MODELS) + ["r2plus1d_34"]):
        g = names_only(name, r2plus1d_34) if name == "r2plus1d_34" else golden(name)
        path = os.path.join(OUT_DIR, name + ".json")
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(compact_json(g) + "\n")
        os.replace(tmp, path)
        summary = f"{name}: {len(g['stateDict'])} tensors, {g['parameterCount']} parameters"
        if "logits" in g:
            summary += f", logits in [{min(g['logits']):.3f}, {max(g['logits']):.3f}]"
        print(summary + " -> " + os.path.relpath(path))


if __name__ == "__main__":
    main()
