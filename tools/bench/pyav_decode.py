#!/usr/bin/python3
"""PyAV side of Kinema's side-by-side clip-decode benchmark.

    /usr/bin/python3 tools/bench/pyav_decode.py FILE --frames 16 --size 112 --clips N \\
        --mode uniform|random [--stride 4] [--threads auto|1|2[,...]] [--seed S] [--repeat R]

Each clip is the same work Kinema does: pick frame indices (display order, 0-based), decode
them, and resize each to SIZExSIZE RGB uint8 (aspect not kept; swscale bilinear, PyAV's
default), stacked into a (frames, size, size, 3) numpy array.

  uniform  indices = linspace(0, n-1, frames) truncated (PyTorchVideo's uniform_temporal_subsample),
           decoded from the start of the file.
  random   one clip of `frames` frames at `stride`, start uniform in [0, n-1-(frames-1)*stride]
           (seeded), reached by seeking to the nearest keyframe before the start (seek with
           backward=True and the stream) and decoding forward.

Variants (the matrix is run, every variant over the same clips, round-robin `repeat` times, and
the median of the repeats is reported):
  threads    1 (no threads) | T in --threads with each --thread-type (SLICE, FRAME, AUTO = both);
             thread count "auto" is FFmpeg's (CPUs + 1 for frame threads).
  skip       all    : every packet is decoded.
             nonref : codec_context.skip_frame is set per packet: DEFAULT for a packet whose frame
                      is requested, NONREF otherwise, so the decoder drops non-reference frames
                      that nobody asked for. Output frames are bit-identical (non-reference frames
                      are by definition never used for prediction); this is checked.
  container  reopen : av.open per clip (the realistic data-loader case);
             reuse  : one open container, seeked per clip.
  Conversion reuses one VideoReformatter (one SwsContext) for the run: about 7x cheaper per frame
  than frame.to_ndarray(width=, height=, format=), which builds a new SwsContext for every frame.
  One extra variant, "naive", is what plain PyAV code does: PyAV's default threading (SLICE, count
  0), every packet decoded, reopen per clip, frame.to_ndarray(width, height, format) per frame.

The frame index of a decoded frame comes from its pts, through a table of all packet pts of the
file (sorted), built once per file outside the timing (like a data set's cached index).

Before timing, every variant is checked against a reference (a full sequential single-threaded
decode, frames counted in output order): a few clips must be exactly equal, or a warning is
printed and the variant is excluded from "best".

Timing: wall time of the clips after one untimed warm-up clip per variant ("seconds", median over
repeats; clips_per_s = clips / seconds) and the process CPU time over the same span
("cpu_seconds", all threads), which a busy machine disturbs less than wall time.

Output: one JSON line per variant, then one line with variant "best" (the fastest verified one)
on stdout; progress and warnings on stderr.
"""
import argparse
import gc
import json
import random
import statistics
import sys
import time

import av
import av.logging
import numpy as np
from av.video.reformatter import VideoReformatter

# PyAV 10 routes every FFmpeg log call (even filtered VERBOSE ones, e.g. h264 "Reinit context" in a
# frame thread after each seek) through a Python callback that takes the GIL. With frame threads
# this deadlocks when the main thread holds the GIL while waiting for a decoder thread (flush on
# seek, avcodec_close): PyAV issues #751 and #909; seen here as a hang at exit about 1 run in 6.
# FFmpeg's own callback (stderr, no GIL) avoids it; same as PYAV_LOGGING=off.
av.logging.restore_default_callback()


# ---------------------------------------------------------------- index and clip selection

class Index:
    """Per-file facts, gathered once (untimed): frame count and pts of each display index."""

    def __init__(self, path):
        with av.open(path) as c:
            vs = c.streams.video[0]
            pts, keys = [], set()
            for pkt in c.demux(vs):
                if pkt.pts is None:
                    continue
                pts.append(pkt.pts)
                if pkt.is_keyframe:
                    keys.add(pkt.pts)
            self.container_frames = vs.frames
        self.pts = sorted(pts)
        self.n = len(self.pts)
        self.index_of = {p: i for i, p in enumerate(self.pts)}
        self.keyframes = [i for i, p in enumerate(self.pts) if p in keys]


def _f32_fma(a, b, c):
    """a*b + c rounded once to float32, as a fused multiply-add does (the product of a float32 and a
    small integer is exact in float64)."""
    return np.float32(np.float64(a) * np.float64(b) + np.float64(c))


def torch_linspace_f32(start, end, k, vec=8):
    """torch.linspace(start, end, k) (float32, CPU) value for value, as torch 1.13's CPU kernel
    (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp) computes it: step = (end-start)/(k-1) in
    float32; element i is start + step*i below k//2 and end - step*(k-1-i) from there on, evaluated
    with a fused multiply-add (GCC contracts it); but the vectorised loop, which takes the first
    k - k % (2*vec) elements in blocks of `vec`, computes one base per block that way and then
    base + j*step (j = 0..vec-1) unfused. vec = 8 floats for torch's AVX2 and default kernels
    (an AVX-512 build would use 16). Checked against torch 1.13.1 (Debian, AVX2) for n < 1500, k < 70."""
    f32 = np.float32
    start, end = f32(start), f32(end)
    if k == 1:
        return [start]
    step = f32((end - start) / f32(k - 1))
    half = k // 2

    def scalar(i):
        return _f32_fma(step, i, start) if i < half else _f32_fma(-step, k - 1 - i, end)

    nvec = (k // (2 * vec)) * (2 * vec)
    out = []
    for b in range(0, nvec, vec):
        base = scalar(b)
        out.extend(f32(base + f32(step * f32(j))) for j in range(vec))
    out.extend(scalar(i) for i in range(nvec, k))
    return out


def uniform_indices(n, k):
    """pytorchvideo.transforms.functional.uniform_temporal_subsample's indices,
    torch.clamp(torch.linspace(0, n - 1, k), 0, n - 1).long(), bit for bit without torch
    (a plain float32 or float64 linspace truncates differently for some n, k)."""
    return [int(min(max(v, 0), n - 1)) for v in torch_linspace_f32(0, n - 1, k)]


def random_clips(n, k, stride, count, seed):
    span = (k - 1) * stride
    if n - 1 - span < 0:
        sys.exit(f"video has {n} frames, too short for {k} frames at stride {stride}")
    rng = random.Random(seed)
    clips = []
    for _ in range(count):
        s = rng.randint(0, n - 1 - span)
        clips.append([s + j * stride for j in range(k)])
    return clips


# ---------------------------------------------------------------- decoding

class Variant:
    def __init__(self, name, thread_type, thread_count, skip, reopen, naive=False):
        self.name, self.thread_type, self.thread_count = name, thread_type, thread_count
        self.skip, self.reopen, self.naive = skip, reopen, naive

    def describe(self):
        return {"threads": "auto" if self.thread_count == 0 else self.thread_count,
                "thread_type": self.thread_type, "skip": self.skip,
                "container": "reopen" if self.reopen else "reuse",
                "convert": "to_ndarray" if self.naive else "reformatter-reuse"}


class Decoder:
    def __init__(self, path, index, variant, size):
        self.path, self.ix, self.v, self.size = path, index, variant, size
        self.reformatter = VideoReformatter()
        self.c = None
        if not variant.reopen:
            self._open()

    def _open(self):
        self.c = av.open(self.path)
        self.vs = self.c.streams.video[0]
        cc = self.vs.codec_context
        if self.v.thread_type is not None:
            cc.thread_type = self.v.thread_type
        cc.thread_count = self.v.thread_count
        self.cc = cc

    def close(self):
        # Drop the stream and codec context with the container, so that FFmpeg's decoder (and its
        # frame threads) is freed now, not by the garbage collector at some later point.
        if self.c is not None:
            self.c.close()
            self.c = self.vs = self.cc = None

    def _convert(self, frame):
        if self.v.naive:
            return frame.to_ndarray(width=self.size, height=self.size, format="rgb24")
        return self.reformatter.reformat(frame, width=self.size, height=self.size,
                                         format="rgb24").to_ndarray()

    def clip(self, indices, seek):
        if self.v.reopen:
            self._open()
        try:
            return self._clip(indices, seek)
        finally:
            if self.v.reopen:
                self.close()

    def _clip(self, indices, seek):
        ix = self.ix
        wanted = set(indices)
        first, last = min(wanted), max(wanted)
        want_pts = {ix.pts[i] for i in wanted}
        if seek or not self.v.reopen:
            self.c.seek(ix.pts[first], backward=True, any_frame=False, stream=self.vs)
        cc, skip = self.cc, self.v.skip == "nonref"
        for attempt in range(4):
            out, mode, began, late = {}, None, False, None
            for pkt in self.c.demux(self.vs):
                if skip:
                    m = "DEFAULT" if (pkt.pts is None or pkt.pts in want_pts) else "NONREF"
                    if m != mode:
                        cc.skip_frame = mode = m
                for frame in cc.decode(pkt):
                    i = ix.index_of.get(frame.pts)
                    if i is None:
                        continue
                    if not began:
                        began = True
                        if i > first:
                            late = i
                            break
                    if i in wanted and i not in out:
                        out[i] = self._convert(frame)
                if late is not None or len(out) == len(wanted):
                    break
            if late is None:
                break
            # Guard: a demuxer that seeks by decode time can land on a keyframe decoded before the
            # target but displayed after it (FFmpeg 5.1's mp4 demuxer did not, on the benchmark
            # files). Seek to the keyframe before the one we landed on (or the start of the file).
            prev = [k for k in ix.keyframes if k < late]
            self.c.seek(ix.pts[prev[-1]] if prev and attempt < 3 else ix.pts[0],
                        backward=True, any_frame=False, stream=self.vs)
        missing = sorted(wanted - out.keys())
        if missing:
            raise RuntimeError(f"frames {missing} not decoded")
        return np.stack([out[i] for i in indices])


def reference_frames(path, size):
    """All frames, decoded sequentially single-threaded, counted in output order."""
    r = VideoReformatter()
    with av.open(path) as c:
        vs = c.streams.video[0]
        vs.codec_context.thread_count = 1
        return [r.reformat(f, width=size, height=size, format="rgb24").to_ndarray() for f in c.decode(vs)]


# ---------------------------------------------------------------- main

def build_variants(threads, thread_types):
    vs = [Variant("naive", None, 0, "all", True, naive=True)]
    configs = []
    for t in threads:
        if t == 1:
            configs.append(("t1", None, 1))
        else:
            for tt in thread_types:
                configs.append((f"{tt.lower()}{'auto' if t == 0 else t}", tt, t))
    for tag, tt, tc in configs:
        for skip in ("all", "nonref"):
            for reopen in (True, False):
                name = f"{tag}-{skip}-{'reopen' if reopen else 'reuse'}"
                vs.append(Variant(name, tt, tc, skip, reopen))
    return vs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--frames", type=int, default=16)
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--clips", type=int, default=20)
    ap.add_argument("--mode", choices=("uniform", "random"), required=True)
    ap.add_argument("--stride", type=int, default=4)
    ap.add_argument("--threads", default="1,2,auto", help="comma list of thread counts: 1, 2, ..., auto")
    ap.add_argument("--thread-type", default="SLICE,FRAME,AUTO", help="comma list, used for counts other than 1")
    ap.add_argument("--variants", default="", help="comma list of variant names to run (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per variant (median reported)")
    ap.add_argument("--no-verify", action="store_true")
    a = ap.parse_args()

    threads = [0 if t.strip() == "auto" else int(t) for t in a.threads.split(",")]
    variants = build_variants(threads, [t.strip().upper() for t in a.thread_type.split(",")])
    if a.variants:
        keep = set(a.variants.split(","))
        variants = [v for v in variants if v.name in keep]
        if not variants:
            sys.exit("no variant matches --variants")

    ix = Index(a.file)
    if ix.container_frames and ix.container_frames != ix.n:
        print(f"warning: container says {ix.container_frames} frames, demuxed {ix.n}", file=sys.stderr)
    if a.mode == "uniform":
        clips = [uniform_indices(ix.n, a.frames)] * a.clips
        seek = False
        check = [clips[0]]
    else:
        clips = random_clips(ix.n, a.frames, a.stride, a.clips, a.seed)
        seek = True
        span = (a.frames - 1) * a.stride
        check = clips[:2] + [[j * a.stride for j in range(a.frames)],
                             [ix.n - 1 - span + j * a.stride for j in range(a.frames)]]
    if a.mode == "uniform":
        try:
            import torch
            t = torch.clamp(torch.linspace(0, ix.n - 1, a.frames), 0, ix.n - 1).long().tolist()
            if t != clips[0]:
                print(f"WARNING: uniform indices {clips[0]} differ from this torch's {t}", file=sys.stderr)
        except ImportError:
            pass
    print(f"{a.file}: {ix.n} frames, keyframes at {ix.keyframes}; mode {a.mode}, "
          f"first clip {clips[0]}", file=sys.stderr)

    ok = {}
    if not a.no_verify:
        ref = reference_frames(a.file, a.size)
        if len(ref) != ix.n:
            print(f"warning: sequential decode gave {len(ref)} frames, index has {ix.n}", file=sys.stderr)
        for v in variants:
            d = Decoder(a.file, ix, v, a.size)
            good = True
            for c in check:
                got = d.clip(c, seek)
                exp = np.stack([ref[i] for i in c])
                if got.shape != exp.shape or not np.array_equal(got, exp):
                    good = False
                    print(f"WARNING: variant {v.name}: frames {c} differ from the sequential decode",
                          file=sys.stderr)
            d.close()
            del d
            gc.collect()
            ok[v.name] = good
        print("verified: " + ", ".join(f"{k}={'ok' if g else 'MISMATCH'}" for k, g in ok.items()),
              file=sys.stderr)

    runs = {v.name: [] for v in variants}
    cpu = {v.name: [] for v in variants}  # process CPU time (all threads): less sensitive to a busy machine
    for r in range(a.repeat):
        for v in variants:
            d = Decoder(a.file, ix, v, a.size)
            d.clip(clips[0], seek)  # warm-up (code paths, caches), untimed
            c0, t0 = time.process_time(), time.perf_counter()
            for c in clips:
                arr = d.clip(c, seek)
            dt = time.perf_counter() - t0
            cpu[v.name].append(time.process_time() - c0)
            d.close()
            del d
            gc.collect()
            assert arr.shape == (a.frames, a.size, a.size, 3) and arr.dtype == np.uint8
            runs[v.name].append(dt)
            print(f"  run {r + 1}/{a.repeat} {v.name:24s} {a.clips / dt:8.2f} clips/s", file=sys.stderr)

    results = []
    for v in variants:
        sec = statistics.median(runs[v.name])
        rec = {"tool": "pyav", "mode": a.mode, "variant": v.name, "clips": a.clips,
               "seconds": round(sec, 4), "clips_per_s": round(a.clips / sec, 3)}
        rec.update(v.describe())
        rec.update({"cpu_seconds": round(statistics.median(cpu[v.name]), 4),
                    "frames": a.frames, "size": a.size, "runs": [round(x, 4) for x in runs[v.name]],
                    "verified": ok.get(v.name)})
        if a.mode == "random":
            rec.update({"stride": a.stride, "seed": a.seed})
        results.append(rec)
        print(json.dumps(rec), flush=True)
    eligible = [r for r in results if r["verified"] is not False]
    if eligible:
        best = dict(max(eligible, key=lambda r: r["clips_per_s"]))
        best["chosen"] = best["variant"]
        best["variant"] = "best"
        print(json.dumps(best), flush=True)


if __name__ == "__main__":
    main()
