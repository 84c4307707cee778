#!/usr/bin/python3
"""Where a model's time goes, from the operator traces that `kinema bench model --profile PREFIX` and
`tools/bench/torch_model_bench.py --profile PREFIX` write (Chrome traces of PyTorch's autograd
profiler, libtorch 2.7.1 and torch 1.13): per operator, its self time (its own duration minus that
of the operators it called) summed over the trace, largest first; and the time the calling thread
spent outside any operator (Java/DJL or Python dispatch between ops, the "framework overhead").

    /usr/bin/python3 tools/bench/profile_summary.py TRACE.json [OTHER.json ...] [--top 12]
"""
import argparse
import json
from collections import defaultdict


def load(path):
    text = open(path).read().rstrip().rstrip(",")
    data = json.loads(text if text.endswith("]") or text.startswith("{") else text + "]")
    events = data["traceEvents"] if isinstance(data, dict) else data
    return [e for e in events if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") != "python_function"]


def summarize(events):
    """Self time per operator name (µs), time covered by top-level operators, and the span, per thread."""
    by_thread = defaultdict(list)
    for e in events:
        by_thread[e.get("tid")].append(e)
    self_time = defaultdict(float)
    calls = defaultdict(int)
    covered = span = 0.0
    for tid, evs in by_thread.items():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # (end, name, child time)
        first, last = float(evs[0]["ts"]), 0.0

        def pop():
            end, name, child, dur = stack.pop()
            self_time[name] += dur - child

        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                pop()
            if stack:
                stack[-1][2] += dur
            else:
                covered += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
            calls[e["name"]] += 1
            last = max(last, ts + dur)
        while stack:
            pop()
        span = max(span, last - first)
    return self_time, calls, covered, span


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("traces", nargs="+")
    p.add_argument("--top", type=int, default=12)
    a = p.parse_args()
    for path in a.traces:
        self_time, calls, covered, span = summarize(load(path))
        total = sum(self_time.values())
        print(f"## {path}")
        print(f"operators: {total / 1e3:.1f} ms self time in {sum(calls.values())} calls; main thread span "
              f"{span / 1e3:.1f} ms, of which {100 * (1 - covered / span) if span else 0:.1f}% outside any operator")
        print("| operator | calls | self ms | share |")
        print("|---|---:|---:|---:|")
        for name, t in sorted(self_time.items(), key=lambda kv: -kv[1])[:a.top]:
            print(f"| {name} | {calls[name]} | {t / 1e3:.1f} | {100 * t / total:.1f}% |")
        print()


if __name__ == "__main__":
    main()
