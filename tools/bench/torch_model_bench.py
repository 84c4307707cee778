#!/usr/bin/python3
"""torchvision's side of `kinema bench model`: seconds per inference (eval forward under no_grad) and
per training step (train-mode forward, cross-entropy, backward, SGD with momentum 0.9) of a video
model on a random batch, median over repeats after warm-up. Prints one JSON line per mode with the
same fields as Kinema's (model, mode, batch, input, threads, medianSeconds, ...).

    /usr/bin/python3 tools/bench/torch_model_bench.py --name r3d_18 --input 3x16x112x112 --batch 1 \\
        --threads 2 [--train] [--warmup 2] [--repeats 5]

--threads sets torch.set_num_threads; give it Kinema's intra-op count (the side-by-side driver
does) so both sides use the same number of cores.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.video import mc3_18, r2plus1d_18, r3d_18
from torchvision.models.video.resnet import BasicBlock, Conv2Plus1D, R2Plus1dStem, VideoResNet


def r2plus1d_34(num_classes=400):
    return VideoResNet(BasicBlock, [Conv2Plus1D] * 4, [3, 4, 6, 3], R2Plus1dStem, num_classes=num_classes)


MODELS = {"r3d_18": r3d_18, "mc3_18": mc3_18, "r2plus1d_18": r2plus1d_18, "r2plus1d_34": r2plus1d_34}


def time_mode(model, clips, labels, mode, warmup, repeats):
    """Wall and process CPU seconds (all threads) of every timed repeat."""
    seconds, cpu = [], []
    if mode == "INFERENCE":
        model.eval()
        with torch.no_grad():
            for i in range(-warmup, repeats):
                start, cpu_start = time.perf_counter(), time.process_time()
                model(clips).numpy()
                if i >= 0:
                    seconds.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - cpu_start)
    else:
        model.train()
        sgd = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        for i in range(-warmup, repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            sgd.zero_grad(set_to_none=False)
            loss = F.cross_entropy(model(clips), labels)
            loss.backward()
            sgd.step()
            if i >= 0:
                seconds.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
    return seconds, cpu


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
    args = p.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    shape = [int(x) for x in args.input.lower().split("x")]
    torch.manual_seed(0)
    model = MODELS[args.name](num_classes=args.classes)
    clips = torch.randn([args.batch] + shape)
    labels = torch.arange(args.batch) % args.classes
    for mode in ["INFERENCE"] + (["TRAIN"] if args.train else []):
        seconds, cpu = time_mode(model, clips, labels, mode, args.warmup, args.repeats)
        median = statistics.median(seconds)
        print(json.dumps({
            "tool": "torchvision", "model": args.name, "mode": mode, "batch": args.batch, "input": shape,
            "classes": args.classes, "warmup": args.warmup, "repeats": args.repeats,
            "threads": torch.get_num_threads(), "interopThreads": torch.get_num_interop_threads(),
            "engine": f"torch {torch.__version__}, torchvision {torchvision.__version__}",
            "medianSeconds": median, "minSeconds": min(seconds), "clipsPerSecond": args.batch / median,
            "medianCpuSeconds": statistics.median(cpu),
            "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
