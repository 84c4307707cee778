#!/usr/bin/python3
"""Median clips/s per tool and variant from decode_side_by_side.sh, and Kinema's ratio to each.

    /usr/bin/python3 tools/bench/decode_ratios.py runs.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    rates = defaultdict(list)
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        mode = r["mode"].lower()
        rate = r.get("clipsPerSecond", r.get("clips_per_s"))
        name = "kinema" if r["tool"] == "kinema" else "pyav " + r["variant"]
        rates[(mode, name)].append(rate)
    print("| mode | pipeline | runs | clips/s (median) | Kinema / this |")
    print("|---|---|---:|---:|---:|")
    for mode in ("uniform", "random"):
        kinema = statistics.median(rates[(mode, "kinema")]) if rates[(mode, "kinema")] else None
        for (m, name), values in sorted(rates.items()):
            if m != mode:
                continue
            med = statistics.median(values)
            ratio = f"{kinema / med:.2f}" if kinema else ""
            print(f"| {mode} | {name} | {len(values)} | {med:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
