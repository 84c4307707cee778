#!/usr/bin/python3
"""Median seconds per batch for each model, mode and tool from model_side_by_side.sh, and the ratio
Kinema / torchvision (below 1: Kinema is faster); also the ratio of process CPU seconds per batch,
which other load on the machine disturbs less than wall time.

    /usr/bin/python3 tools/bench/model_ratios.py runs.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    times = defaultdict(list)
    cpu = defaultdict(list)
    threads = defaultdict(set)
    loads = []
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if "machine" in r:
            loads.append(r["machine"])
            continue
        key = (r["model"], r["mode"].lower(), r["tool"])
        times[key].append(r["medianSeconds"])
        cpu[key].append(r.get("medianCpuSeconds", float("nan")))
        threads[key].add(r["threads"])
    for m in loads:
        print("machine:", json.dumps(m))
    print("| model | mode | runs | Kinema s/batch | torchvision s/batch | threads (K/T) | Kinema / torchvision "
          "| CPU s Kinema / torchvision |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for model, mode in sorted({(k[0], k[1]) for k in times}, key=lambda x: (x[0], x[1] != "inference")):
        k = times.get((model, mode, "kinema"), [])
        t = times.get((model, mode, "torchvision"), [])
        if not k or not t:
            continue
        km, tm = statistics.median(k), statistics.median(t)
        th = f"{','.join(map(str, sorted(threads[(model, mode, 'kinema')])))}/" \
             f"{','.join(map(str, sorted(threads[(model, mode, 'torchvision')])))}"
        kc = statistics.median(cpu[(model, mode, "kinema")])
        tc = statistics.median(cpu[(model, mode, "torchvision")])
        print(f"| {model} | {mode} | {min(len(k), len(t))} | {km:.3f} | {tm:.3f} | {th} | {km / tm:.2f} "
              f"| {kc:.2f} / {tc:.2f} = {kc / tc:.2f} |")


if __name__ == "__main__":
    main()
