#!/usr/bin/python3
"""Turn the JSON lines of the benchmark scripts into a Markdown table.

    /usr/bin/python3 tools/bench/summarize.py RESULTS.jsonl [MORE.jsonl ...]

Reads lines of pyav_decode.py (and of `kinema bench decode`, same keys: tool, mode, variant,
clips, seconds, clips_per_s, optional cpu_seconds) and of pyav_full_decode.py (mode "full").
"""
import json
import sys


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip().startswith("{")]
    clips = [r for r in rows if r.get("mode") != "full"]
    full = [r for r in rows if r.get("mode") == "full"]
    if clips:
        print("| tool | mode | variant | threads | skip | container | clips/s (median) | ms/clip | CPU ms/clip | runs (s) |")
        print("|---|---|---|---|---|---|---:|---:|---:|---|")
        for r in clips:
            name = r["variant"] + (f" = {r['chosen']}" if "chosen" in r else "")
            cpu = r.get("cpu_seconds")
            cpu = "" if cpu is None else f"{1000 * cpu / r['clips']:.0f}"
            print(f"| {r['tool']} | {r['mode']} | {name} | {r.get('threads', '')} "
                  f"| {r.get('skip', '')} | {r.get('container', '')} | {r['clips_per_s']:.2f} "
                  f"| {1000 * r['seconds'] / r['clips']:.0f} "
                  f"| {cpu} "
                  f"| {', '.join(f'{x:.2f}' for x in r.get('runs', []))} |")
    if full:
        if clips:
            print()
        print("| threads | skip_frame | frames out | wall ms (median) | wall ms (min) | CPU ms | frames/s |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for r in full:
            print(f"| {r['threads']} | {r['skip_frame']} | {r['frames_out']} | {1000 * r['seconds']:.0f} "
                  f"| {1000 * r['min']:.0f} | {1000 * r['cpu_seconds']:.0f} | {r['frames_per_s']:.0f} |")


if __name__ == "__main__":
    main()
