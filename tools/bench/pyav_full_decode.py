#!/usr/bin/python3
"""Whole-file decode cost in PyAV: the ceiling a clip decoder works under.

    /usr/bin/python3 tools/bench/pyav_full_decode.py FILE [--repeat 7] [--threads 1,2,auto]

Decodes every packet of the first video stream (open + decode, no pixel conversion) for each
threading setting and each codec_context.skip_frame level, and prints one JSON line per case
with the median wall time of `repeat` runs, frames output and frames/s:
  DEFAULT  every frame
  NONREF   non-reference frames dropped (exact for every frame still output)
  BIDIR    all B-frames dropped (B-frames used as references too, so P-frames predicted from
           them would be wrong: a cost figure only, never usable for output)
  NONKEY   keyframes only
The differences give the cost per frame kind: (DEFAULT - NONREF) / nonref_frames is the cost of
one non-reference B-frame, and so on.
"""
import argparse
import json
import statistics
import time

import av
import av.logging

av.logging.restore_default_callback()  # PyAV's Python log callback can deadlock with frame threads (PyAV #751, #909)


def run(path, thread_type, thread_count, skip):
    c0, t0 = time.process_time(), time.perf_counter()
    c = av.open(path)
    try:
        vs = c.streams.video[0]
        cc = vs.codec_context
        if thread_type:
            cc.thread_type = thread_type
        cc.thread_count = thread_count
        cc.skip_frame = skip
        n = 0
        for _ in c.decode(vs):
            n += 1
    finally:
        c.close()
        del c, vs, cc
    return time.perf_counter() - t0, time.process_time() - c0, n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", default="1,2,auto")
    ap.add_argument("--skip", default="DEFAULT,NONREF,BIDIR,NONKEY")
    a = ap.parse_args()
    cases = []
    for t in a.threads.split(","):
        t = t.strip()
        for skip in a.skip.split(","):
            if t == "1":
                cases.append(("t1", None, 1, skip))
            else:
                tc = 0 if t == "auto" else int(t)
                cases.append((f"frame{t}", "FRAME", tc, skip))
    times = {c: [] for c in cases}
    cpus = {c: [] for c in cases}
    counts = {}
    run(a.file, None, 1, "DEFAULT")  # warm-up: file in page cache, code loaded
    for _ in range(a.repeat):  # round-robin, so machine noise spreads over all cases
        for c in cases:
            dt, cpu, n = run(a.file, c[1], c[2], c[3])
            times[c].append(dt)
            cpus[c].append(cpu)
            counts[c] = n
    for c in cases:
        med = statistics.median(times[c])
        print(json.dumps({"tool": "pyav", "mode": "full", "variant": f"{c[0]}-{c[3].lower()}",
                          "threads": "auto" if c[2] == 0 else c[2], "thread_type": c[1], "skip_frame": c[3],
                          "frames_out": counts[c], "seconds": round(med, 4),
                          "frames_per_s": round(counts[c] / med, 1),
                          "min": round(min(times[c]), 4),
                          "cpu_seconds": round(statistics.median(cpus[c]), 4), "runs": [round(x, 4) for x in times[c]]}),
              flush=True)


if __name__ == "__main__":
    main()
