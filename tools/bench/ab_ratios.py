#!/usr/bin/python3
"""Paired ratios of inference_ab.sh's runs: for each file (one switch, one model), the i-th run with
the switch on against the i-th run with it off (farm-bench ran them in turn), the ratio of their
in-process median seconds per batch, and the median of those ratios (below 1: the switch helps),
with the CPU-time ratio the same way and the load average around the runs.

    /usr/bin/python3 tools/bench/ab_ratios.py target/bench/ab-two-halves-*.jsonl
"""
import json
import statistics
import sys


def main():
    print("| switch | model | pairs | on s/batch | off s/batch | on / off (median of pairs, min-max) "
          "| CPU on / off | load before → after |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for path in sys.argv[1:]:
        on, off, machine = [], [], {}
        for line in open(path):
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "machine" in r:
                machine.update(r["machine"])
            elif r["mode"] == "INFERENCE":
                (on if r["variant"] == "on" else off).append(r)
        pairs = list(zip(on, off))
        if not pairs:
            continue
        ratios = [a["medianSeconds"] / b["medianSeconds"] for a, b in pairs]
        cpu = [a["medianCpuSeconds"] / b["medianCpuSeconds"] for a, b in pairs]
        a_med = statistics.median(a["medianSeconds"] for a, _ in pairs)
        b_med = statistics.median(b["medianSeconds"] for _, b in pairs)
        print(f"| {machine.get('switch')} | {machine.get('model')} | {len(pairs)} | {a_med:.3f} | {b_med:.3f} "
              f"| **{statistics.median(ratios):.3f}** ({min(ratios):.2f}–{max(ratios):.2f}) "
              f"| {statistics.median(cpu):.3f} | {machine.get('load')} → {machine.get('load_after')} |")


if __name__ == "__main__":
    main()
