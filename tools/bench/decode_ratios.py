#!/usr/bin/python3
"""Median clips/s per tool and variant from decode_side_by_side.sh, and each Kinema variant's ratio
to the best PyAV pipeline of the same mode (and to each PyAV pipeline).

    /usr/bin/python3 tools/bench/decode_ratios.py runs.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    rates = defaultdict(list)
    cpu = defaultdict(list)
    loads = []
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if "load" in r:
            loads.append(r["load"])
            continue
        mode = r["mode"].lower()
        rate = r.get("clipsPerSecond", r.get("clips_per_s"))
        if r["tool"] == "kinema":
            name = "kinema " + r.get("variant", "")
            cpu_ms = 1000 * r["cpuSeconds"] / r["clips"] if "cpuSeconds" in r else None
        else:
            name = "pyav " + r["variant"]
            cpu_ms = 1000 * r["cpu_seconds"] / r["clips"] if "cpu_seconds" in r else None
        rates[(mode, name.strip())].append(rate)
        if cpu_ms is not None:
            cpu[(mode, name.strip())].append(cpu_ms)
    if loads:
        print("1-minute/5-minute/15-minute load after each round:", "; ".join(loads))
        print()
    print("| mode | pipeline | runs | clips/s (median) | CPU ms/clip (median) | best Kinema / this |")
    print("|---|---|---:|---:|---:|---:|")
    for mode in ("uniform", "random"):
        rows = {name: statistics.median(v) for (m, name), v in rates.items() if m == mode}
        kinema = max((v for n, v in rows.items() if n.startswith("kinema")), default=None)
        for name in sorted(rows):
            med = rows[name]
            c = cpu.get((mode, name))
            cpu_text = f"{statistics.median(c):.0f}" if c else ""
            ratio = f"{kinema / med:.2f}" if kinema else ""
            print(f"| {mode} | {name} | {len(rates[(mode, name)])} | {med:.2f} | {cpu_text} | {ratio} |")
    print()
    print("| mode | Kinema variant | over the best PyAV (clips/s) |")
    print("|---|---|---:|")
    for mode in ("uniform", "random"):
        rows = {name: statistics.median(v) for (m, name), v in rates.items() if m == mode}
        pyav = {n: v for n, v in rows.items() if n.startswith("pyav")}
        if not pyav:
            continue
        best_name = max(pyav, key=pyav.get)
        for name in sorted(n for n in rows if n.startswith("kinema")):
            print(f"| {mode} | {name} | {rows[name] / pyav[best_name]:.2f} (best PyAV: {best_name}) |")


if __name__ == "__main__":
    main()
