#!/usr/bin/python3
"""Goldens for Kinema's transformer blocks (dev.kinema.nn.SpaceTimeBlock): one block each of joint,
divided (TimeSformer), factorised self-attention (ViViT 3) and factorised dot-product (ViViT 4)
attention, written here in plain torch after timm's ViT Block and TimeSformer's divided Block, with
DeterministicFill's weights (tools/golden/videoresnet.py) and a deterministic input; plus the
trilinear resizing of a position table (F.interpolate, align_corners=False).

  /usr/bin/python3 tools/golden/attention_blocks.py

writes kinema-core/src/test/resources/golden/transformer/blocks.json, read by SpaceTimeBlockGoldenTest.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from videoresnet import uniform, values  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kinema-core", "src", "test", "resources",
                   "golden", "transformer", "blocks.json")
N, T, H, W, D, HEADS, HIDDEN = 2, 3, 2, 3, 32, 4, 64


class Attention(nn.Module):
    """timm's ViT attention, with the softmax(q k^T) v made explicit per group of tokens."""

    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D, bias=True)
        self.proj = nn.Linear(D, D)

    def qkv_heads(self, x):
        b, l, _ = x.shape
        q, k, v = self.qkv(x).reshape(b, l, 3, HEADS, D // HEADS).permute(2, 0, 3, 1, 4)
        return q * (D // HEADS) ** -0.5, k, v

    def merge(self, o):
        b, h, l, d = o.shape
        return self.proj(o.transpose(1, 2).reshape(b, l, h * d))

    def forward(self, x):
        q, k, v = self.qkv_heads(x)
        return self.merge((q @ k.transpose(-2, -1)).softmax(-1) @ v)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(D, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, D)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    """kind: joint, divided, fsa or fdp. x: N x T x H x W x D patch tokens, cls: N x 1 x D or None."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.norm1 = nn.LayerNorm(D, eps=1e-6)
        self.attn = Attention()
        if kind in ("divided", "fsa"):
            self.temporal_norm1 = nn.LayerNorm(D, eps=1e-6)
            self.temporal_attn = Attention()
        if kind == "divided":
            self.temporal_fc = nn.Linear(D, D)
        self.norm2 = nn.LayerNorm(D, eps=1e-6)
        self.mlp = Mlp()

    def temporal(self, x):
        n, t, h, w, d = x.shape
        xt = x.permute(0, 2, 3, 1, 4).reshape(n * h * w, t, d)
        return self.temporal_attn(self.temporal_norm1(xt)).reshape(n, h, w, t, d).permute(0, 3, 1, 2, 4)

    def spatial(self, x, cls):
        n, t, h, w, d = x.shape
        xs = x.reshape(n * t, h * w, d)
        if cls is not None:
            xs = torch.cat([cls.repeat(1, t, 1).reshape(n * t, 1, d), xs], 1)
        out = self.attn(self.norm1(xs)).reshape(n, t, -1, d)
        if cls is None:
            return out.reshape(x.shape), None
        return out[:, :, 1:].reshape(x.shape), out[:, :, 0].mean(1, keepdim=True)

    def fdp(self, tokens, cls, shape):
        n, t, h, w, d = shape
        s = h * w
        c = 0 if cls is None else 1
        q, k, v = self.attn.qkv_heads(self.norm1(tokens))
        half = HEADS // 2
        hd = D // HEADS
        outs = []
        for heads, by_position in ((slice(0, half), False), (slice(half, HEADS), True)):
            groups = []
            for a in (q, k, v):
                p = a[:, heads, c:].reshape(n, half, t, s, hd)
                if by_position:
                    p = p.transpose(2, 3)
                groups.append(p)
            gq, gk, gv = groups
            if cls is not None:
                count = gk.shape[2]
                gk = torch.cat([k[:, heads, :1].unsqueeze(2).expand(n, half, count, 1, hd), gk], 3)
                gv = torch.cat([v[:, heads, :1].unsqueeze(2).expand(n, half, count, 1, hd), gv], 3)
            o = (gq @ gk.transpose(-2, -1)).softmax(-1) @ gv
            if by_position:
                o = o.transpose(2, 3)
            outs.append(o.reshape(n, half, t * s, hd))
        o = torch.cat(outs, 1)
        if cls is not None:
            o = torch.cat([(q[:, :, :1] @ k.transpose(-2, -1)).softmax(-1) @ v, o], 2)
        return self.attn.merge(o)

    def forward(self, x, cls):
        shape = x.shape
        n, t, h, w, d = shape

        def join(x, cls):
            flat = x.reshape(n, t * h * w, d)
            return flat if cls is None else torch.cat([cls, flat], 1)

        def split(all_):
            if cls is None:
                return all_.reshape(shape), None
            return all_[:, 1:].reshape(shape), all_[:, :1]

        if self.kind == "joint":
            a = join(x, cls)
            x, cls = split(a + self.attn(self.norm1(a)))
        elif self.kind == "divided":
            x = x + self.temporal_fc(self.temporal(x))
            rs, rc = self.spatial(x, cls)
            x = x + rs
            cls = None if cls is None else cls + rc
        elif self.kind == "fsa":
            rs, rc = self.spatial(x, cls)
            x = x + rs
            cls = None if cls is None else cls + rc
            x = x + self.temporal(x)
        else:
            a = join(x, cls)
            x, cls = split(a + self.fdp(a, cls, shape))
        a = join(x, cls)
        return split(a + self.mlp(self.norm2(a)))


def fill(module):
    state = {k: torch.from_numpy(values(k, tuple(v.shape))) for k, v in module.state_dict().items()}
    module.load_state_dict(state)


def main():
    x = torch.from_numpy(uniform("tokens", N * T * H * W * D).reshape(N, T, H, W, D))
    c = torch.from_numpy(uniform("cls", N * D).reshape(N, 1, D))
    cases = []
    for kind, with_cls in (("joint", True), ("divided", True), ("fsa", False), ("fdp", True), ("fdp", False)):
        block = Block(kind)
        fill(block)
        with torch.no_grad():
            out, out_cls = block(x, c if with_cls else None)
        cases.append({
            "kind": kind, "classToken": with_cls,
            "parameters": sorted([k, list(v.shape)] for k, v in block.state_dict().items()),
            "tokens": [float(v) for v in out.reshape(-1)],
            "cls": [] if out_cls is None else [float(v) for v in out_cls.reshape(-1)],
        })
    table = torch.from_numpy(uniform("table", 4 * 3 * 5 * 8).reshape(4, 3, 5, 8))
    resized = F.interpolate(table.permute(3, 0, 1, 2).unsqueeze(0), size=(6, 2, 7), mode="trilinear",
                            align_corners=False)[0].permute(1, 2, 3, 0)
    doc = {
        "torch": torch.__version__,
        "shape": {"n": N, "t": T, "h": H, "w": W, "d": D, "heads": HEADS, "hidden": HIDDEN},
        "blocks": cases,
        "resize": {"from": [4, 3, 5], "to": [6, 2, 7], "features": 8, "values": [float(v) for v in resized.reshape(-1)]},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
