#!/usr/bin/python3
"""torch's side of `kinema bench sgemm`: GFLOP/s of an n x n float32 matrix product (2 n^3 FLOPs)
at a given thread count, best and median of the timed repeats after warm-up. One JSON line with the
same fields as Kinema's.

    /usr/bin/python3 tools/bench/torch_sgemm.py --size 2048 --threads 2 [--warmup 2] [--repeats 10]
"""
import argparse
import json
import statistics
import time

import blas_threads  # noqa: F401  (before torch: bounds OpenBLAS's threads by --threads)
import torch


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=2048)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps torch's default")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=10)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    x = torch.rand(a.size, a.size) * 2 - 1
    y = torch.rand(a.size, a.size) * 2 - 1
    seconds = []
    for i in range(-a.warmup, a.repeats):
        start = time.perf_counter()
        (x @ y)[0, 0].item()
        if i >= 0:
            seconds.append(time.perf_counter() - start)
    flops = 2.0 * a.size ** 3
    print(json.dumps({"tool": "torch", "size": a.size, "threads": torch.get_num_threads(), "warmup": a.warmup,
                      "repeats": a.repeats, "engine": "torch " + torch.__version__,
                      "bestGflopPerSecond": flops / min(seconds) / 1e9,
                      "medianGflopPerSecond": flops / statistics.median(seconds) / 1e9, "seconds": seconds}))


if __name__ == "__main__":
    main()
