#!/usr/bin/python3
"""Write Kinema's standard decode-benchmark input.

    /usr/bin/python3 tools/bench/make_bench_video.py OUT.mp4 [--source PATH]

The file: 10 s of 1280x720 H.264 (High profile, yuv420p) at 30 fps, 300 frames, in mp4,
encoded by libx264 through PyAV with x264's own defaults for the GOP and B-frames
(preset medium, crf 23, keyint 250 with scene-cut detection, 3 B-frames, b-pyramid
normal, 1 slice per frame) -- the structure of typical real-world files.

The pictures are real footage, so decode cost is realistic: the first 300 frames of
vtest.avi (768x576, 10 fps pedestrians, from Debian's opencv-doc, in shared/data/),
one source frame per output frame, scaled to 1280x720 with swscale bicubic.

Deterministic: the x264 thread count is pinned (x264 output depends on it, not on the
machine otherwise), and no creation time is written. Same PyAV/FFmpeg/x264 versions give
the same bytes; the script prints the SHA-256.

Then it prints a GOP summary: keyframes, I/P/B counts (pict_type after decode), and the
reference/non-reference split read from the H.264 NAL headers (nal_ref_idc).
"""
import argparse
import hashlib
import os
import sys

import av
import av.logging
from fractions import Fraction

av.logging.restore_default_callback()  # PyAV's Python log callback can deadlock with threads (PyAV #751)

WIDTH, HEIGHT, FPS, NFRAMES = 1280, 720, 30, 300
X264_THREADS = "4"  # pinned for byte-reproducibility across machines; does not change GOP/B-frame decisions


def default_source():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(os.path.dirname(repo), "shared", "data", "vtest.avi")


def source_frames(path, n):
    with av.open(path) as src:
        vs = src.streams.video[0]
        vs.thread_type = "AUTO"
        k = 0
        for frame in src.decode(vs):
            yield frame
            k += 1
            if k == n:
                return
    if k < n:
        raise SystemExit(f"{path}: only {k} frames, need {n}")


def encode(out_path, source, keyint=None):
    with av.open(out_path, "w", format="mp4") as out:
        st = out.add_stream("libx264", rate=FPS)
        st.width, st.height, st.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        st.codec_context.time_base = Fraction(1, FPS)
        # PyAV's default thread_type is SLICE, which makes libavcodec's libx264 wrapper turn on x264
        # sliced threads (several slices per frame, unlike x264's default and typical files). FRAME
        # keeps x264's default frame threading: one slice per frame.
        st.codec_context.thread_type = "FRAME"
        # Only explicit settings; everything else (keyint, bframes, b-pyramid, refs, ...) is x264's default.
        st.options = {"preset": "medium", "crf": "23", "threads": X264_THREADS}
        if keyint:  # not part of the standard input: for a denser-keyframe variant only
            st.options["x264-params"] = f"keyint={keyint}"
        for i, frame in enumerate(source_frames(source, NFRAMES)):
            img = frame.reformat(width=WIDTH, height=HEIGHT, format="yuv420p", interpolation="BICUBIC")
            img.pts = i
            img.time_base = Fraction(1, FPS)
            img.pict_type = av.video.frame.PictureType.NONE  # let x264 decide
            for pkt in st.encode(img):
                out.mux(pkt)
        for pkt in st.encode(None):
            out.mux(pkt)


def nal_units(data, length_size=4):
    """Yield NAL unit header bytes of an AVCC (length-prefixed) access unit."""
    i = 0
    while i + length_size <= len(data):
        n = int.from_bytes(data[i:i + length_size], "big")
        i += length_size
        if n > 0 and i < len(data):
            yield data[i]
        i += n


def x264_settings(path):
    """The x264 settings string that x264 stores in an SEI of the first frame."""
    with open(path, "rb") as f:
        data = f.read(1 << 20)
    i = data.find(b"x264 - core")
    if i < 0:
        return {}
    s = data[i:data.index(b"\0", i)].decode("ascii", "replace")
    return dict(kv.split("=", 1) for kv in s.split(" - ")[-1].split() if "=" in kv)


def summarize(path):
    with av.open(path) as c:
        vs = c.streams.video[0]
        cc = vs.codec_context
        info = (f"{cc.name} {cc.profile} {vs.width}x{vs.height} {vs.pix_fmt}, {vs.average_rate} fps, "
                f"container says {vs.frames} frames, {float(vs.duration * vs.time_base):.3f} s")
        ref_by_pts, key_by_pts = {}, {}
        for pkt in c.demux(vs):
            if pkt.size == 0:
                continue
            hdrs = [h for h in nal_units(bytes(pkt)) if 1 <= (h & 0x1F) <= 5]  # VCL NAL units only
            ref_by_pts[pkt.pts] = any((h >> 5) & 3 for h in hdrs)
            key_by_pts[pkt.pts] = pkt.is_keyframe
    with av.open(path) as c:
        vs = c.streams.video[0]
        types = [(f.pts, f.pict_type.name) for f in c.decode(vs)]
    n = len(types)
    keyframes = [i for i, (pts, _) in enumerate(types) if key_by_pts.get(pts)]
    counts = {t: sum(1 for _, x in types if x == t) for t in ("I", "P", "B")}
    nonref = [i for i, (pts, _) in enumerate(types) if not ref_by_pts.get(pts, True)]
    bref = [i for i, (pts, t) in enumerate(types) if t == "B" and ref_by_pts.get(pts)]
    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    print(f"{path}: {os.path.getsize(path)} bytes, sha256 {sha}")
    print(f"  {info}; {n} frames decoded")
    x = x264_settings(path)
    print("  x264: " + " ".join(f"{k}={x.get(k)}" for k in (
        "crf", "keyint", "keyint_min", "scenecut", "bframes", "b_pyramid", "b_adapt", "ref", "weightp",
        "threads", "sliced_threads", "slices", "rc_lookahead")))
    print(f"  keyframes (display index): {keyframes}")
    print(f"  pict_type: I={counts['I']} P={counts['P']} B={counts['B']}")
    print(f"  reference frames (nal_ref_idc>0): {n - len(nonref)}, non-reference: {len(nonref)} "
          f"({100.0 * len(nonref) / n:.1f}%), B-frames used as reference (b-pyramid): {len(bref)}")
    print("  first 40 frame types in display order: " + "".join(
        (t if ref_by_pts.get(pts, True) else t.lower()) for pts, t in types[:40])
        + "   (lower case = non-reference)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output .mp4")
    ap.add_argument("--source", default=default_source(), help="source video (default: ../shared/data/vtest.avi)")
    ap.add_argument("--keyint", type=int, default=None,
                    help="override x264's keyint (default: x264's 250). Not the standard input; for a "
                         "variant with more keyframes, where seeking matters more")
    a = ap.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    if "libx264" not in av.codecs_available:
        sys.exit("this PyAV/FFmpeg has no libx264 encoder")
    encode(a.out, a.source, a.keyint)
    summarize(a.out)


if __name__ == "__main__":
    main()
