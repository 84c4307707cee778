#!/usr/bin/python3
"""torchvision's side of `kinema bench model`: seconds per inference (eval forward under no_grad) and
per training step (train-mode forward, cross-entropy, backward, SGD with momentum 0.9) of a video
model on a random batch, median over repeats after warm-up. Prints one JSON line per mode with the
same fields as Kinema's (model, mode, batch, input, threads, medianSeconds, ...).

    /usr/bin/python3 tools/bench/torch_model_bench.py --name r3d_18 --input 3x16x112x112 --batch 1 \\
        --threads 2 [--train] [--warmup 2] [--repeats 5] [--bf16]

--bf16 times inference under CPU autocast to bfloat16 (convolutions and linear layers in bf16, the
rest in float32) and reports its agreement with the float32 logits of the same batch: the figure
that says whether bf16 is worth having on this CPU (docs/benchmarks.md, "Issue 21, second pass").

--threads sets torch.set_num_threads; give it Kinema's intra-op count (the side-by-side driver
does) so both sides use the same number of cores.
"""
import argparse
import json
import os
import statistics
import sys
import time

import blas_threads  # noqa: F401  (before torch: bounds OpenBLAS's threads by --threads)
import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.video import mc3_18, r2plus1d_18, r3d_18
from torchvision.models.video.resnet import BasicBlock, Conv2Plus1D, R2Plus1dStem, VideoResNet


def r2plus1d_34(num_classes=400):
    return VideoResNet(BasicBlock, [Conv2Plus1D] * 4, [3, 4, 6, 3], R2Plus1dStem, num_classes=num_classes)


def conv_bn_relu(c_in, c_out):
    """Kinema's LayerFactory.convNormAct for a 3x3x3 conv: no bias (BatchNorm follows), padding 1."""
    return [torch.nn.Conv3d(c_in, c_out, 3, padding=1, bias=False), torch.nn.BatchNorm3d(c_out), torch.nn.ReLU(inplace=True)]


def slow_fusion(num_classes=400):
    """Kinema's slow-fusion (models.cnn3d.Cnn3dModels.slowFusion), layer for layer."""
    layers, c_in = [], 3
    for i, (width, pool) in enumerate(zip([16, 32, 64, 128], [(1, 2, 2), (2, 2, 2), (2, 2, 2), None])):
        layers += conv_bn_relu(c_in, width)
        if pool:
            layers.append(torch.nn.MaxPool3d(pool))
        c_in = width
    return torch.nn.Sequential(*layers, torch.nn.AdaptiveAvgPool3d(1), torch.nn.Flatten(),
                               torch.nn.Linear(128, num_classes))


def c3d(num_classes=400):
    """Kinema's c3d (Cnn3dModels.c3d): eight conv-BN-ReLU, pools 1x2x2 then 2x2x2, fc6/fc7 4096 with dropout."""
    def fc(c_in, c_out):
        return [torch.nn.Linear(c_in, c_out), torch.nn.ReLU(inplace=True), torch.nn.Dropout(0.5)]
    pool = torch.nn.MaxPool3d
    return torch.nn.Sequential(
        *conv_bn_relu(3, 64), pool((1, 2, 2)), *conv_bn_relu(64, 128), pool(2),
        *conv_bn_relu(128, 256), *conv_bn_relu(256, 256), pool(2),
        *conv_bn_relu(256, 512), *conv_bn_relu(512, 512), pool(2),
        *conv_bn_relu(512, 512), *conv_bn_relu(512, 512), pool(2),
        torch.nn.Flatten(), *fc(512 * 3 * 3, 4096), *fc(4096, 4096), torch.nn.Linear(4096, num_classes))


def x3d_s(num_classes=400):
    """PyTorchVideo's X3D-S as tools/pytorchvideo/reference.py mirrors it (the X3D parity golden's
    module tree; PyTorchVideo is not installed here): the same network as Kinema's x3d_s."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pytorchvideo"))
    from reference import x3d
    return x3d(num_classes)


class DropPath(torch.nn.Module):
    """timm's stochastic depth, as Kinema's nn.DropPath: in training, a sample's branch is zeroed with
    probability `rate` and the rest scaled by 1 / (1 - rate)."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate == 0:
            return x
        keep = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(1 - self.rate)
        return x * keep / (1 - self.rate)


class Attention(torch.nn.Module):
    """timm's ViT attention as Kinema's nn.MultiHeadAttention computes it: one qkv projection, the
    query scaled, softmax(q k^T) v per head as batched matmuls (torch 1.13 has no fused attention)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = torch.nn.Linear(dim, 3 * dim)
        self.proj = torch.nn.Linear(dim, dim)

    def forward(self, x):
        n, l, d = x.shape
        q, k, v = self.qkv(x).reshape(n, l, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = (q * self.scale).matmul(k.transpose(-1, -2)).softmax(-1).matmul(v)
        return self.proj(out.transpose(1, 2).reshape(n, l, d))


class Block(torch.nn.Module):
    """Kinema's SpaceTimeBlock with JOINT attention (timm's ViT block): pre-norm attention and MLP
    (fc1, exact GELU, fc2), each residual through drop-path; LayerNorm eps 1e-6."""

    def __init__(self, dim, heads, hidden, drop):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = torch.nn.LayerNorm(dim, eps=1e-6)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, hidden), torch.nn.GELU(), torch.nn.Linear(hidden, dim))
        self.drop_path = DropPath(drop)

    def forward(self, x):
        x = x + self.drop_path(self.attn(self.norm1(x)))
        return x + self.drop_path(self.mlp(self.norm2(x)))


class VivitJoint(torch.nn.Module):
    """Kinema's vivit-joint-small (models.transformer: TransformerSpec.small, JOINT attention), layer
    for layer: 2x16x16 tubelets embedded by a Conv3d with bias to width 64, a class token, one
    learned position table over the class token and all tubelet tokens, 4 blocks of 4 heads with
    MLP width 128 and drop-path rising linearly to 0.1, a final LayerNorm, the class token into a
    linear classifier. For 3x16x112x112 and 400 classes: 283,600 parameters, as Kinema's card."""

    def __init__(self, num_classes=400, frames=16, size=112, dim=64, depth=4, heads=4, mlp_ratio=2.0,
                 tubelet=2, patch=16, drop_path=0.1):
        super().__init__()
        self.patch_embed = torch.nn.Conv3d(3, dim, (tubelet, patch, patch), stride=(tubelet, patch, patch))
        tokens = (frames // tubelet) * (size // patch) ** 2
        self.cls_token = torch.nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = torch.nn.Parameter(torch.randn(1, 1 + tokens, dim) * 0.02)
        rates = [drop_path * i / (depth - 1) if depth > 1 else drop_path for i in range(depth)]
        self.blocks = torch.nn.Sequential(*[Block(dim, heads, int(round(dim * mlp_ratio)), r) for r in rates])
        self.norm = torch.nn.LayerNorm(dim, eps=1e-6)
        self.head = torch.nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)   # N x (T'H'W') x D
        x = x + self.pos_embed[:, 1:]
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(x.shape[0], -1, -1)
        x = self.norm(self.blocks(torch.cat([cls, x], 1)))
        return self.head(x[:, 0])


def vivit_joint_small(num_classes=400, frames=16, size=112):
    return VivitJoint(num_classes, frames, size)


MODELS = {"r3d_18": r3d_18, "mc3_18": mc3_18, "r2plus1d_18": r2plus1d_18, "r2plus1d_34": r2plus1d_34,
          "slow-fusion": slow_fusion, "c3d": c3d, "x3d_s": x3d_s,
          "vivit-joint-small": vivit_joint_small}
# Models whose size depends on the clip (position tables): built with the clip's frames and size.
CLIP_SIZED = {"vivit-joint-small"}


def time_mode(model, clips, labels, mode, warmup, repeats, profile=None, bf16=False):
    """Wall and process CPU seconds (all threads) of every timed repeat; with profile (a file name),
    the autograd profiler's Chrome trace of the timed repeats, as `kinema bench model --profile`."""
    seconds, cpu = [], []
    profiler = torch.autograd.profiler.profile(record_shapes=True) if profile else None

    def start_profile(i):
        if profiler is not None and i == 0:
            profiler.__enter__()

    if mode == "INFERENCE":
        model.eval()
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            for i in range(-warmup, repeats):
                start_profile(i)
                start, cpu_start = time.perf_counter(), time.process_time()
                model(clips).float().numpy()
                if i >= 0:
                    seconds.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - cpu_start)
    else:
        model.train()
        sgd = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        for i in range(-warmup, repeats):
            start_profile(i)
            start, cpu_start = time.perf_counter(), time.process_time()
            sgd.zero_grad(set_to_none=False)
            loss = F.cross_entropy(model(clips), labels)
            loss.backward()
            sgd.step()
            if i >= 0:
                seconds.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
    if profiler is not None:
        profiler.__exit__(None, None, None)
        profiler.export_chrome_trace(profile)
    return seconds, cpu


def bf16_agreement(model, clips):
    """bf16 autocast logits against float32 ones on the same batch: max abs difference, top-1 agreement."""
    model.eval()
    with torch.no_grad():
        fp32 = model(clips)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            bf16 = model(clips).float()
    return {"variant": "bf16-autocast", "bf16MaxAbsDiff": (fp32 - bf16).abs().max().item(),
            "maxAbsLogit": fp32.abs().max().item(),
            "bf16Top1Agreement": (fp32.argmax(1) == bf16.argmax(1)).float().mean().item()}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", required=True, choices=sorted(MODELS))
    p.add_argument("--input", default="3x16x112x112")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--classes", type=int, default=400)
    p.add_argument("--train", action="store_true", help="also time a training step")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps torch's default")
    p.add_argument("--profile", metavar="PREFIX",
                   help="write the autograd profiler's trace of the timed runs to PREFIX-inference.json / -train.json")
    p.add_argument("--bf16", action="store_true", help="inference under CPU autocast to bfloat16 (no training step)")
    args = p.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    shape = [int(x) for x in args.input.lower().split("x")]
    torch.manual_seed(0)
    if args.name in CLIP_SIZED:
        model = MODELS[args.name](num_classes=args.classes, frames=shape[1], size=shape[2])
    else:
        model = MODELS[args.name](num_classes=args.classes)
    clips = torch.randn([args.batch] + shape)
    labels = torch.arange(args.batch) % args.classes
    for mode in ["INFERENCE"] + (["TRAIN"] if args.train and not args.bf16 else []):
        trace = f"{args.profile}-{mode.lower()}.json" if args.profile else None
        seconds, cpu = time_mode(model, clips, labels, mode, args.warmup, args.repeats, trace, args.bf16)
        median = statistics.median(seconds)
        extra = bf16_agreement(model, clips) if args.bf16 else {}
        print(json.dumps({**extra,
            "tool": "torchvision", "model": args.name, "mode": mode, "batch": args.batch, "input": shape,
            "classes": args.classes, "warmup": args.warmup, "repeats": args.repeats,
            "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
            "engine": f"torch {torch.__version__}, torchvision {torchvision.__version__}",
            "medianSeconds": median, "minSeconds": min(seconds), "clipsPerSecond": args.batch / median,
            "medianCpuSeconds": statistics.median(cpu),
            "parameters": sum(p.numel() for p in model.parameters()),
            "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
