#!/usr/bin/python3
"""Markdown table of flow_choice.sh's JSON lines: per flow method, its time per frame pair and per
field of the cache, and the accuracy of the temporal stream trained on it.

    /usr/bin/python3 tools/bench/flow_choice_table.py flow-choice.jsonl
"""
import json
import sys


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]
    print("| flow method | flow CPU ms per pair (bench flow, calc only) | cache: fields, wall s, CPU s, CPU ms per field |"
          " test video top-1 | test clip top-1 | val video top-1 | load (1/5/15 min) |")
    print("|---|---:|---|---:|---:|---:|---|")
    for r in rows:
        b, t, v = r["benchFlow"], r["test"], r["val"]
        top1 = lambda e, kind: e.get(kind + "_top1", e.get(kind + "Top1"))
        per_field = 1000 * r["cacheCpuSeconds"] / r["fields"]
        print(f"| {r['method']} | {b['threadCpuMsPerPair']:.2f} ({b['calcThreadCpuMsPerPair']:.2f}) | "
              f"{r['fields']}, {r['cacheWallSeconds']:.0f}, {r['cacheCpuSeconds']:.1f}, {per_field:.1f} | "
              f"{100 * top1(t, 'video'):.1f}% | {100 * top1(t, 'clip'):.1f}% | {100 * top1(v, 'video'):.1f}% | {r['load']} |")


if __name__ == "__main__":
    main()
