#!/usr/bin/python3
"""OpenCV-in-Python side of Kinema's optical flow benchmark (`kinema bench flow`).

    /usr/bin/python3 tools/bench/opencv_flow.py FILE --method tvl1|farneback|dis-ultrafast|dis-fast|dis-medium \\
        --size 128 [--pairs 20] [--warmup 2] [--threads 1] [--repeat 1]

Same work as Kinema's FlowBenchmark: decode frames 0..PAIRS with PyAV, the short side scaled to
SIZE (long side floor(long * SIZE / short), swscale bilinear, as Kinema's FrameSize.shortSide),
RGB to gray with cv2.cvtColor(COLOR_RGB2GRAY), all before timing. The timed region is only the
flow of each consecutive pair, with the parameters of dev.kinema.flow.FlowMethod:

  tvl1       cv2.optflow.createOptFlow_DualTVL1() with OpenCV's defaults (tau 0.25, lambda 0.15,
             theta 0.3, 5 scales, 5 warps, epsilon 0.01, 30 inner / 10 outer iterations,
             scale step 0.8, gamma 0, median filtering 5): opencv-contrib's optflow module
  farneback  cv2.calcOpticalFlowFarneback(prev, next, None, 0.5, 3, 15, 3, 5, 1.2, 0)
  dis-*      cv2.DISOpticalFlow_create(PRESET_ULTRAFAST | PRESET_FAST | PRESET_MEDIUM).calc

cv2.setNumThreads(THREADS) first, as Kinema does with cv::setNumThreads. Output: one JSON line per
repeat with pairsPerSecond and cpuMsPerPair (process CPU time over the timed region, all threads).
"""
import argparse
import json
import sys
import time

import av
import cv2
import numpy as np


def short_side(width, height, side):
    if width <= height:
        return side, (height * side) // width
    return (width * side) // height, side


def decode_gray(path, count, size):
    frames = []
    with av.open(path) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            w, h = short_side(frame.width, frame.height, size)
            rgb = frame.reformat(width=w, height=h, format="rgb24", interpolation="BILINEAR").to_ndarray()
            frames.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
            if len(frames) == count:
                break
    if len(frames) < count:
        sys.exit(f"{path}: {len(frames)} frames, {count} needed")
    return frames


def estimator(method):
    if method == "tvl1":
        if not hasattr(cv2, "optflow"):
            sys.exit("this cv2 has no optflow module (opencv-contrib); tvl1 cannot be measured")
        tvl1 = cv2.optflow.createOptFlow_DualTVL1()
        return lambda a, b: tvl1.calc(a, b, None)
    if method == "farneback":
        return lambda a, b: cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5, 1.2, 0)
    presets = {"dis-ultrafast": cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST, "dis-fast": cv2.DISOPTICAL_FLOW_PRESET_FAST,
               "dis": cv2.DISOPTICAL_FLOW_PRESET_FAST, "dis-medium": cv2.DISOPTICAL_FLOW_PRESET_MEDIUM}
    if method in presets:
        dis = cv2.DISOpticalFlow_create(presets[method])
        return lambda a, b: dis.calc(a, b, None)
    sys.exit(f"unknown method {method}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--method", default="tvl1")
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--pairs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    gray = decode_gray(a.file, a.pairs + 1, a.size)
    cv2.setNumThreads(a.threads)
    for _ in range(a.repeat):
        flow = estimator(a.method)
        for k in range(a.warmup):
            i = k % a.pairs
            flow(gray[i], gray[i + 1])
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        for k in range(a.pairs):
            out = flow(gray[k], gray[k + 1])
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        assert out.shape == gray[0].shape + (2,) and out.dtype == np.float32
        print(json.dumps({"tool": "opencv-python", "opencv": cv2.__version__, "file": a.file, "method": a.method,
                          "size": a.size, "width": gray[0].shape[1], "height": gray[0].shape[0], "pairs": a.pairs,
                          "threads": a.threads, "openCvThreads": cv2.getNumThreads(), "warmup": a.warmup, "seconds": seconds,
                          "pairsPerSecond": a.pairs / seconds, "cpuSeconds": cpu, "cpuMsPerPair": cpu * 1000 / a.pairs}),
              flush=True)


if __name__ == "__main__":
    main()
