#!/usr/bin/python3
"""Median clips/s per tool and worker count from loader_side_by_side.sh, and Kinema's ratio.

    /usr/bin/python3 tools/bench/loader_ratios.py loader.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    rates = defaultdict(list)
    for line in open(sys.argv[1]):
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            rates[(r["workers"], r["tool"])].append(r.get("clipsPerSecond", r.get("clips_per_s")))
    print("| workers | Kinema clips/s | PyTorch DataLoader + PyAV clips/s | Kinema / PyTorch | runs |")
    print("|---:|---:|---:|---:|---:|")
    for w in sorted({w for w, _ in rates}):
        k = statistics.median(rates[(w, "kinema")])
        t = statistics.median(rates[(w, "torch+pyav")])
        print(f"| {w} | {k:.1f} | {t:.1f} | {k / t:.2f} | {len(rates[(w, 'kinema')])} |")


if __name__ == "__main__":
    main()
