#!/usr/bin/python3
"""PyTorch mirrors of PyTorchVideo's slowfast_r50 and X3D, for Kinema's oracle tests.

PyTorchVideo cannot be installed here, so these modules were written for Kinema from a reading of
PyTorchVideo's source (models/slowfast.py, x3d.py, resnet.py, stem.py, head.py, net.py, fvcore's
SqueezeExcitation): same module tree and attribute names, so the same state_dict names and shapes,
and the same forward computation (PackPathway-style slow frames, global pooling in the heads, no
softmax at the end of X3D, as in Kinema).

Writes to kinema-core/src/test/resources/pytorchvideo/:
  slowfast_r50.names.txt, x3d.names.txt   every state_dict entry but num_batches_tracked: name and shape
  *.golden.txt                            logits of the eval-mode forward on a small clip, with every
                                          parameter and buffer set by the formula in `fill` (Kinema's
                                          test sets the same values by the same names)
Run: /usr/bin/python3 tools/pytorchvideo/reference.py
"""
import math
import os
import sys

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "kinema-core", "src", "test", "resources", "pytorchvideo")


class Holder(nn.Module):
    """A module whose children are given by keyword, in order (names are what matter here)."""

    def __init__(self, **children):
        super().__init__()
        for k, v in children.items():
            if v is not None:
                self.add_module(k, v)

    def forward(self, x):
        for m in self.children():
            for layer in (m if isinstance(m, nn.ModuleList) else [m]):
                x = layer(x)
        return x


def conv(cin, cout, k, s=(1, 1, 1), groups=1, bias=False):
    return nn.Conv3d(cin, cout, k, stride=s, padding=tuple(x // 2 for x in k), groups=groups, bias=bias)


class ResBlock(nn.Module):
    def __init__(self, branch1_conv, branch1_norm, branch2):
        super().__init__()
        self.branch1_conv = branch1_conv
        self.branch1_norm = branch1_norm
        self.branch2 = branch2
        self.activation = nn.ReLU()

    def forward(self, x):
        s = x
        if self.branch1_conv is not None:
            s = self.branch1_conv(x)
            if self.branch1_norm is not None:
                s = self.branch1_norm(s)
        return self.activation(s + self.branch2(x))


class Swish(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(x)


class SE(nn.Module):
    def __init__(self, c, r):
        super().__init__()
        self.block = nn.Sequential(conv(c, r, (1, 1, 1), bias=True), nn.ReLU(), conv(r, c, (1, 1, 1), bias=True), nn.Sigmoid())

    def forward(self, x):
        return x * self.block(x.mean(dim=[2, 3, 4], keepdim=True))


def round_width(width, multiplier, divisor=8):
    w = width * multiplier
    out = max(divisor, int(w + divisor / 2) // divisor * divisor)
    return out + divisor if out < 0.9 * w else out


# ---------------------------------------------------------------- SlowFast R50

class Stage(nn.Module):
    """MultiPathWayWithFuse: multipathway_blocks, multipathway_fusion."""

    def __init__(self, blocks, fusion):
        super().__init__()
        self.multipathway_blocks = nn.ModuleList(blocks)
        self.multipathway_fusion = fusion

    def forward(self, xs):
        xs = [b(x) for b, x in zip(self.multipathway_blocks, xs)]
        return self.multipathway_fusion(xs) if self.multipathway_fusion is not None else xs


class FuseFastToSlow(nn.Module):
    def __init__(self, cin, alpha=4):
        super().__init__()
        self.conv_fast_to_slow = conv(cin, 2 * cin, (7, 1, 1), (alpha, 1, 1))
        self.norm = nn.BatchNorm3d(2 * cin)
        self.activation = nn.ReLU()

    def forward(self, xs):
        f = self.activation(self.norm(self.conv_fast_to_slow(xs[1])))
        return [torch.cat([xs[0], f], 1), xs[1]]


def sf_stem(cout, kt):
    return Holder(conv=conv(3, cout, (kt, 7, 7), (1, 2, 2)), norm=nn.BatchNorm3d(cout), activation=nn.ReLU(),
                  pool=nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1)))


def bottleneck(cin, inner, cout, kt, stride):
    b2 = Holder(conv_a=conv(cin, inner, (kt, 1, 1)), norm_a=nn.BatchNorm3d(inner), act_a=nn.ReLU(),
                conv_b=conv(inner, inner, (1, 3, 3), (1, stride, stride)), norm_b=nn.BatchNorm3d(inner), act_b=nn.ReLU(),
                conv_c=conv(inner, cout, (1, 1, 1)), norm_c=nn.BatchNorm3d(cout))
    proj = cin != cout or stride != 1
    return ResBlock(conv(cin, cout, (1, 1, 1), (1, stride, stride)) if proj else None,
                    nn.BatchNorm3d(cout) if proj else None, b2)


def res_stage(depth, cin, inner, cout, kt, stride):
    return Holder(res_blocks=nn.ModuleList(
        [bottleneck(cin if i == 0 else cout, inner, cout, kt, stride if i == 0 else 1) for i in range(depth)]))


class PoolConcat(nn.Module):
    def forward(self, xs):
        return torch.cat([x.mean(dim=[2, 3, 4], keepdim=True) for x in xs], 1)


class Head(nn.Module):
    def __init__(self, cin, classes, pool=None):
        super().__init__()
        if pool is not None:
            self.pool = pool
        self.dropout = nn.Dropout(0.5)
        self.proj = nn.Linear(cin, classes)

    def forward(self, x):
        if hasattr(self, "pool"):
            x = self.pool(x)
        return self.proj(self.dropout(x).flatten(1))


class Net(nn.Module):
    def __init__(self, blocks, alpha=None):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        self.alpha = alpha

    def forward(self, x):
        if self.alpha:
            t = x.shape[2]
            idx = torch.linspace(0, t - 1, t // self.alpha).long()
            x = [torch.index_select(x, 2, idx), x]
        for b in self.blocks:
            x = b(x)
        return x


def slowfast_r50(classes=400):
    blocks = [Stage([sf_stem(64, 1), sf_stem(8, 5)], FuseFastToSlow(8))]
    cin, cout = 64, 256
    for s, depth in enumerate((3, 4, 6, 3)):
        stride = 1 if s == 0 else 2
        slow = res_stage(depth, cin + cin * 2 // 8, cout // 4, cout, (1, 1, 3, 3)[s], stride)
        fast = res_stage(depth, cin // 8, cout // 32, cout // 8, 3, stride)
        blocks.append(Stage([slow, fast], FuseFastToSlow(cout // 8) if s < 3 else None))
        cin, cout = cout, cout * 2
    blocks += [PoolConcat(), Head(2048 + 256, classes)]
    return Net(blocks, alpha=4)


# ---------------------------------------------------------------- X3D

def x3d(classes=400):
    stem_w = round_width(12, 2.0)
    stem = Holder(conv=Holder(conv_t=conv(3, stem_w, (1, 3, 3), (1, 2, 2)),
                              conv_xy=conv(stem_w, stem_w, (5, 1, 1), groups=stem_w)),
                  norm=nn.BatchNorm3d(stem_w), activation=nn.ReLU())
    blocks = [stem]
    base = 12
    cin = stem_w
    for s, depth in enumerate(math.ceil(2.2 * d) for d in (1, 2, 5, 3)):
        cout = round_width(base, 2.0)
        base = round_width(base, 2.0)
        inner = int(2.25 * cout)
        res = []
        for i in range(depth):
            bi, stride = (cin if i == 0 else cout), (2 if i == 0 else 1)
            norm_b = nn.Sequential(nn.BatchNorm3d(inner), SE(inner, round_width(inner, 0.0625)) if i % 2 == 0 else nn.Identity())
            b2 = Holder(conv_a=conv(bi, inner, (1, 1, 1)), norm_a=nn.BatchNorm3d(inner), act_a=nn.ReLU(),
                        conv_b=conv(inner, inner, (3, 3, 3), (1, stride, stride), groups=inner), norm_b=norm_b,
                        act_b=Swish(), conv_c=conv(inner, cout, (1, 1, 1)), norm_c=nn.BatchNorm3d(cout))
            proj = bi != cout or stride != 1
            res.append(ResBlock(conv(bi, cout, (1, 1, 1), (1, stride, stride)) if proj else None,
                                nn.BatchNorm3d(cout) if bi != cout else None, b2))
        blocks.append(Holder(res_blocks=nn.ModuleList(res)))
        cin = cout
    pool = Holder(pre_conv=conv(cin, inner, (1, 1, 1)), pre_norm=nn.BatchNorm3d(inner), pre_act=nn.ReLU(),
                  pool=nn.AdaptiveAvgPool3d(1), post_conv=conv(inner, 2048, (1, 1, 1)), post_act=nn.ReLU())
    blocks.append(Head(2048, classes, pool))
    return Net(blocks)


# ---------------------------------------------------------------- files

def fill(name, t):
    """Deterministic values by name, also computed by Kinema's test (same formula, same order)."""
    n = t.numel()
    seed = sum(ord(c) for c in name) % 997
    k = torch.arange(n, dtype=torch.float64)
    wave = torch.sin(0.61 * k + 0.37 * seed)
    last = name.rsplit(".", 1)[1]
    if last == "running_var":
        v = 1.0 + 0.25 * (wave + 1.0)
    elif last == "running_mean" or last == "bias":
        v = 0.1 * wave
    elif t.dim() == 1:  # norm weight
        v = 1.0 + 0.1 * wave
    else:
        fan_in = n // t.shape[0]
        v = wave * math.sqrt(3.0 / fan_in)
    return v.to(torch.float32).reshape(t.shape)


def clip(shape):
    k = torch.arange(math.prod(shape), dtype=torch.float64)
    return torch.sin(0.13 * k).to(torch.float32).reshape(shape)


def write(model, stem, clip_shape, classes):
    os.makedirs(OUT, exist_ok=True)
    sd = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    with open(os.path.join(OUT, stem + ".names.txt"), "w") as f:
        f.write("# name shape: PyTorchVideo state_dict entries (no num_batches_tracked), derived by Kinema from\n")
        f.write("# PyTorchVideo's source by tools/pytorchvideo/reference.py (PyTorchVideo itself is not installed)\n")
        for k, v in sd.items():
            f.write(k + " " + "x".join(str(d) for d in v.shape) + "\n")
    with torch.no_grad():
        for k, v in sd.items():
            v.copy_(fill(k, v))
        model.eval()
        x = clip(clip_shape)
        y = model(x)
    with open(os.path.join(OUT, stem + ".golden.txt"), "w") as f:
        f.write("# eval-mode logits of %s (%d classes) on clip %s, parameters by fill(); torch %s\n"
                % (stem, classes, "x".join(map(str, clip_shape)), torch.__version__))
        f.write("clip " + "x".join(map(str, clip_shape)) + "\n")
        for row in y.tolist():
            f.write(" ".join("%.7g" % v for v in row) + "\n")
    params = sum(p.numel() for p in model.parameters())
    print(stem, "parameters", params, "logits", y.shape, file=sys.stderr)


if __name__ == "__main__":
    torch.manual_seed(0)
    write(slowfast_r50(400), "slowfast_r50", (2, 3, 8, 64, 64), 400)
    write(x3d(400), "x3d", (2, 3, 4, 64, 64), 400)
