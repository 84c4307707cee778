#!/usr/bin/python3
"""How well an observer that knows the bounce times exactly could do on `--task av-sync` pairs.

The motion is synth.SoundingObjects.Scene's (32 px frames, disc radius 15-19% of the frame, speed
0.7-1.1 frames/s, 8 substeps a frame at 25 fps, a bounce at each wall hit), re-implemented here so
thousands of clips cost nothing. The observer bins times at the network's time step (0.32 s: two
frames 0.16 s apart) and calls a pair aligned when every ring's bin holds a bounce. Two observers:
one that knows which disc sounds (its bounces only), and one that cannot tell the discs apart (a
bounce of either disc will do), which is what a network that has not bound colour to pitch can at
best do. Clips start where every shift of 2 s either way stays inside an 8 s video, as validation's
centre clip does. Usage: /usr/bin/python3 tools/avsync/sync_oracle.py [videos]
"""
import math
import random
import sys


def bounces(seconds, rng, size=32, fps=25):
    r = size * rng.uniform(0.15, 0.19)
    lo, hi = r, size - r
    px, py = rng.uniform(lo, hi), rng.uniform(lo, hi)
    speed, angle = size * rng.uniform(0.7, 1.1), rng.uniform(0, 2 * math.pi)
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    dt, out = 1 / (fps * 8), []
    for k in range(int(seconds * fps * 8)):
        px, py, hit = px + vx * dt, py + vy * dt, False
        if px < lo or px > hi:
            vx, px, hit = -vx, (2 * lo - px if px < lo else 2 * hi - px), True
        if py < lo or py > hi:
            vy, py, hit = -vy, (2 * lo - py if py < lo else 2 * hi - py), True
        if hit:
            out.append((k + 1) * dt)
    return out


def bins(times, start, length, step):
    return frozenset(int((t - start) // step) for t in times if start <= t < start + length)


def main():
    videos = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rng = random.Random(0)
    seconds, step, shifts = 8.0, 0.32, (0.5, 1.0, 1.5, 2.0)
    print("clip span | observer | aligned | " + " | ".join("%.1f s" % s for s in shifts))
    for span in (1.16, 2.44):   # 8 and 16 frames at stride 4 of 25 fps
        for blind in (False, True):
            right = {s: [] for s in (0.0,) + shifts}
            for _ in range(videos):
                sounding, silent = bounces(seconds, rng), bounces(seconds, rng)
                start = rng.uniform(2.0, seconds - 2.0 - span)
                seen = bins(sounding, start, span, step) | (bins(silent, start, span, step) if blind else frozenset())
                right[0.0].append(bins(sounding, start, span, step) <= seen)
                for s in shifts:
                    for sign in (1, -1):
                        right[s].append(not bins(sounding, start + sign * s, span, step) <= seen)
            print("%.2f s | %s | " % (span, "either disc" if blind else "sounding disc") + " | ".join(
                "%.1f%%" % (100 * sum(v) / len(v)) for v in right.values()))


if __name__ == "__main__":
    main()
