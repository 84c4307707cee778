#!/usr/bin/python3
"""Golden files for Kinema's safetensors path, made with PyTorch (run with /usr/bin/python3).

Writes into kinema-core/src/test/resources/golden/weights/ (or --out DIR):

  tiny3d.safetensors   a PyTorch module that mirrors Kinema's tiny-3d (5 classes), random weights
                       and random BatchNorm running statistics from a fixed seed, its state_dict
                       written as safetensors by the hand-written writer below (F32, plus the I64
                       num_batches_tracked counters a real state_dict has)
  tiny3d_input.npy     a 2x3x4x18x18 float32 input
  tiny3d_logits.npy    the module's eval-mode output for it, 2x5 float32
  dtypes.safetensors   F32 values (ties, subnormals, infinities, NaN, random) and PyTorch's F16 and
                       BF16 roundings of them, plus those roundings widened back to F32, to check
                       Kinema's conversions bit for bit

Kinema must reproduce the logits:  ./kinema run-model --model tiny-3d --weights tiny3d.safetensors
--input tiny3d_input.npy --output y.npy  (the test is kinema-cli's RunModelCommandTest).

--check FILE reads a safetensors file that Kinema wrote (e.g. the committed
kinema_tiny3d.safetensors) with the reader below, loads it into the same PyTorch module and checks
that it reproduces the golden logits: the other direction of the round trip.

No safetensors package is needed: the format is an 8-byte little-endian header length, a JSON
header and raw little-endian tensor bytes.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "kinema-core", "src", "test", "resources", "golden", "weights"))
CLASSES, FRAMES, SIZE, BATCH = 5, 4, 18, 2

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
TORCH_DTYPES = {v: k for k, v in DTYPES.items()}
ITEM = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8}


class ConvNormAct(nn.Module):
    """Kinema's LayerFactory.convNormAct: conv (no bias, a norm follows), BatchNorm, ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)
        self.norm = nn.BatchNorm3d(cout, eps=1e-5)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class Tiny3d(nn.Module):
    """Kinema's tiny-3d (Cnn3dModels.tiny3d + FrameModels.poolHead), module names = Kinema's names."""

    def __init__(self, classes):
        super().__init__()
        self.conv1 = ConvNormAct(3, 8, (1, 2, 2))
        self.pool1 = nn.MaxPool3d(kernel_size=(1, 2, 2))  # stride = kernel, floor, as Kinema's Pooling.max
        self.conv2 = ConvNormAct(8, 16, 1)
        self.fc = nn.Linear(16, classes)

    def forward(self, x):
        x = self.conv2(self.pool1(self.conv1(x)))
        return self.fc(x.mean(dim=(2, 3, 4)))


def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> torch tensor (F32/F16/BF16/I64), written in order, header padded to 8 bytes."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        dtype = DTYPES[t.dtype]
        # BF16 has no NumPy type: take its bits as int16 (same bytes, little-endian on this machine).
        arr = t.view(torch.int16).numpy() if t.dtype == torch.bfloat16 else t.numpy()
        raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def read_safetensors(path):
    """The same checks Kinema's reader makes; returns (name -> torch tensor, metadata)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short")
    (n,) = struct.unpack("<Q", data[:8])
    if n < 2 or n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} does not fit {len(data)} bytes")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    out, spans = {}, []
    for name, e in header.items():
        begin, end = e["data_offsets"]
        count = int(np.prod(e["shape"], dtype=np.int64))
        if end - begin != count * ITEM[e["dtype"]] or end > len(body):
            raise ValueError(f"{path}: {name}: bad data_offsets {e['data_offsets']}")
        spans.append((begin, end))
        raw = body[begin:end]
        if e["dtype"] == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16)
        else:
            np_type = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}[e["dtype"]]
            t = torch.from_numpy(np.frombuffer(raw, dtype=np_type).copy())
        out[name] = t.reshape(e["shape"])
    spans.sort()
    expected = 0
    for begin, end in spans:
        if begin != expected:
            raise ValueError(f"{path}: tensors are not contiguous at byte {begin}")
        expected = end
    if expected != len(body):
        raise ValueError(f"{path}: tensors cover {expected} of {len(body)} data bytes")
    return out, metadata


def golden_model():
    torch.manual_seed(20261121)
    model = Tiny3d(CLASSES)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm3d):
                # Random affine parameters and running statistics, so eval mode really uses them.
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
    return model.eval()


def golden_input():
    g = torch.Generator().manual_seed(7)
    return torch.randn(BATCH, 3, FRAMES, SIZE, SIZE, generator=g)


def dtype_values():
    specials = [0.0, -0.0, 1.0, -1.0, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -9,
                65504.0, 65519.0, 65520.0, 1e6, 2 ** -14, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 6.0e-8,
                1e-40, 3.4028235e38, -3.4028235e38, float("inf"), float("-inf"), float("nan"), 0.1, 1 / 3, -2.5e-3]
    g = torch.Generator().manual_seed(3)
    random = torch.randn(100, generator=g) * torch.logspace(-6, 6, 100)
    return torch.cat([torch.tensor(specials, dtype=torch.float32), random.float()])


def write_all(out):
    os.makedirs(out, exist_ok=True)
    model = golden_model()
    x = golden_input()
    with torch.no_grad():
        logits = model(x)
    write_safetensors(os.path.join(out, "tiny3d.safetensors"), model.state_dict(), {"format": "pt"})
    np.save(os.path.join(out, "tiny3d_input.npy"), x.numpy().astype("<f4"))
    np.save(os.path.join(out, "tiny3d_logits.npy"), logits.numpy().astype("<f4"))

    v = dtype_values()
    f16, bf16 = v.to(torch.float16), v.to(torch.bfloat16)
    write_safetensors(os.path.join(out, "dtypes.safetensors"), {
        "values": v, "values_f16": f16, "values_bf16": bf16,
        "values_f16_as_f32": f16.float(), "values_bf16_as_f32": bf16.float(),
    }, {"format": "pt", "made_by": "tools/golden/weights_e2e.py"})

    # The reader reads back what the writer wrote.
    back, meta = read_safetensors(os.path.join(out, "tiny3d.safetensors"))
    assert meta == {"format": "pt"}
    for k, t in model.state_dict().items():
        assert torch.equal(back[k], t), k
    print(f"wrote {out}: logits {tuple(logits.shape)}, state_dict keys {list(model.state_dict())}")


def check(path, out):
    tensors, meta = read_safetensors(path)
    model = Tiny3d(CLASSES)
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        sys.exit(f"{path}: missing {missing}, unexpected {unexpected}")
    model.eval()
    x = torch.from_numpy(np.load(os.path.join(out, "tiny3d_input.npy")))
    expected = torch.from_numpy(np.load(os.path.join(out, "tiny3d_logits.npy")))
    with torch.no_grad():
        diff = (model(x) - expected).abs().max().item()
    print(f"{path}: metadata {meta}, {len(tensors)} tensors, max |logits - golden| = {diff:.3g}")
    if diff > 1e-5:
        sys.exit("the Kinema-written weights do not reproduce the golden logits")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--check", metavar="FILE", help="verify a Kinema-written safetensors file instead of writing")
    a = p.parse_args()
    if a.check:
        check(a.check, a.out)
    else:
        write_all(a.out)


if __name__ == "__main__":
    main()
