#!/usr/bin/python3
"""Median pairs/s (wall) and CPU ms per pair per method and tool from flow_side_by_side.sh, and
Kinema's speed relative to OpenCV in Python for both (above 1: Kinema faster). "calc-only" is
Kinema's second pass timing OpenCV's calc alone on frames already in OpenCV matrices, which is
exactly what the Python script times; "Kinema CPU" includes moving frames in and flow out.

    /usr/bin/python3 tools/bench/flow_ratios.py flow.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    wall = defaultdict(list)
    cpu = defaultdict(list)
    calc = defaultdict(list)
    loads = []
    shape = {}
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        key = (r["method"], r["tool"])
        wall[key].append(r["pairsPerSecond"])
        # Kinema's process CPU clock ticks in 10 ms steps; its calling thread's clock (all of OpenCV's
        # work at 1 OpenCV thread) is exact, so it is the one compared when present.
        cpu[key].append(r.get("threadCpuMsPerPair", r["cpuMsPerPair"]))
        if "calcThreadCpuMsPerPair" in r:
            calc[key].append(r["calcThreadCpuMsPerPair"])
        shape[r["method"]] = f'{r["width"]}x{r["height"]}'
        if "load" in r:
            loads.append(float(r["load"]))
    print("| method | frames | runs | Kinema pairs/s | OpenCV-Python pairs/s | ratio (wall) "
          "| Kinema CPU ms/pair | Kinema calc-only CPU ms/pair | OpenCV-Python CPU ms/pair | ratio (CPU) "
          "| ratio (calc-only CPU) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for method in ("tvl1", "farneback", "dis-ultrafast", "dis-fast", "dis-medium"):
        k, p = (method, "kinema"), (method, "opencv-python")
        if not wall[k] or not wall[p]:
            continue
        kw, pw = statistics.median(wall[k]), statistics.median(wall[p])
        kc, pc = statistics.median(cpu[k]), statistics.median(cpu[p])
        kk = statistics.median(calc[k]) if calc[k] else float("nan")
        print(f"| {method} | {shape[method]} | {len(wall[k])} | {kw:.1f} | {pw:.1f} | {kw / pw:.2f} "
              f"| {kc:.3f} | {kk:.3f} | {pc:.3f} | {pc / kc:.2f} | {pc / kk:.2f} |")
    if loads:
        print(f"\n1-minute load average during the runs: {min(loads):.2f} to {max(loads):.2f} (2 cores)")


if __name__ == "__main__":
    main()
