#!/usr/bin/python3
"""PyTorch peer of `kinema bench loader`: clips/s of a training data loader, per worker count.

    /usr/bin/python3 tools/bench/torch_loader.py DATA_DIR [--workers 1 2 4] [--batches 30] \\
        [--batch 8] [--clip-len 16] [--stride 2] [--size 112] [--short-side 128] [--split train]

DATA_DIR is a folder-per-class dataset such as `kinema synth --out DATA_DIR` writes; the videos
are DATA_DIR/<split>/<class>/**/*.mp4 (any common video extension). Classes are the sorted class
folder names and a video's label is its class's index, as torchvision's ImageFolder does.

Work per item (one video), the same as Kinema's clip loader:
  1. open the file with PyAV, decoder thread_type AUTO (frame + slice threads, FFmpeg's count);
  2. pick one random clip as MMAction2's SampleFrames does in training (num_clips=1): the start
     is uniform in [0, n - clip_len*stride] and the indices are start + k*stride; a video shorter
     than clip_len*stride starts at 0 and wraps (index mod n, MMAction2's out_of_bound 'loop');
  3. seek to the keyframe at or before the first needed frame and decode forward to the last one,
     converting only the needed frames to RGB, resized in the same swscale call (bilinear) so
     the short side is --short-side (aspect kept; 128x128 for square Kinema-Motion videos); one
     VideoReformatter per item, so its scaler context is built once, not per frame;
  4. random crop --size x --size, horizontal flip with p=0.5, /255, Kinetics normalisation
     (mean 0.45, std 0.225), giving a float32 C x T x H x W tensor (3 x 16 x 112 x 112).
A frame's index comes from its pts: round((pts - start_time) * time_base * fps).

Loader: torch.utils.data.DataLoader(batch_size, shuffle=True, num_workers=W, default collate ->
batch x 3 x T x size x size), torch.set_num_threads(1) in each worker, persistent_workers=True so
the workers are forked once per run rather than at every epoch (the dataset is small, so a run
spans several epochs). The first 2 batches are a warm-up (worker start-up, first files) and are
not timed; then --batches batches are timed, from the arrival of the last warm-up batch to the
arrival of the last timed one.

Before timing, --check N clips (default 4) are compared with the same frames of a full sequential
decode (every frame, no seek), bit for bit, so a wrong seek or pts mapping cannot go unnoticed.
The check and each worker count run in their own forked process (see in_child).

Output: one JSON line per worker count on stdout,
    {"tool": "torch+pyav", "workers": W, "clips": ..., "seconds": ..., "clips_per_s": ...}
Needs Debian's python3-torch, python3-av and python3-numpy; run with /usr/bin/python3.
"""
import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from fractions import Fraction

import av
import numpy as np
import torch
from av.video.reformatter import VideoReformatter
from torch.utils.data import DataLoader, Dataset

VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".webm", ".mov", ".m4v", ".mpg", ".mpeg", ".flv", ".wmv",
                    ".3gp", ".ts", ".ogv")
WARMUP_BATCHES = 2
KINETICS_MEAN = 0.45
KINETICS_STD = 0.225


def find_videos(split_dir):
    """(path, label) pairs and the class names, in torchvision ImageFolder's order."""
    classes = sorted(e.name for e in os.scandir(split_dir) if e.is_dir())
    if not classes:
        raise SystemExit(f"{split_dir}: no class folders")
    samples = []
    for label, name in enumerate(classes):
        for root, _, files in sorted(os.walk(os.path.join(split_dir, name), followlinks=True)):
            for f in sorted(files):
                if f.lower().endswith(VIDEO_EXTENSIONS):
                    samples.append((os.path.join(root, f), label))
    if not samples:
        raise SystemExit(f"{split_dir}: no video files in its class folders")
    return samples, classes


def train_clip_indices(num_frames, clip_len, stride, rng):
    """MMAction2 SampleFrames, training, one clip: random start, wrapped when the video is short."""
    span = clip_len * stride
    start = rng.randint(0, num_frames - span) if num_frames >= span else 0
    return [(start + k * stride) % num_frames for k in range(clip_len)]


def scaled_size(width, height, short_side):
    """The size with the short side at short_side, aspect kept (rounded as mmcv does)."""
    if width <= height:
        return short_side, int(height * short_side / width + 0.5)
    return int(width * short_side / height + 0.5), short_side


class VideoClipDataset(Dataset):
    def __init__(self, samples, clip_len, stride, size, short_side):
        self.samples = samples
        self.clip_len = clip_len
        self.stride = stride
        self.size = size
        self.short_side = short_side

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        frames, _ = self.decode_clip(path)
        return self.transform(frames), label

    def decode_clip(self, path):
        """One random training clip: T x H x W x 3 uint8 RGB frames at the short side, and their indices."""
        with av.open(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            fps = stream.average_rate
            time_base = stream.time_base
            start_time = stream.start_time or 0
            num_frames = stream.frames
            if not num_frames and stream.duration:
                num_frames = int(stream.duration * time_base * fps)
            if not num_frames and container.duration:
                num_frames = int(Fraction(container.duration, av.time_base) * fps)
            if not num_frames:
                raise ValueError(f"{path}: no frame count and no duration")
            indices = train_clip_indices(num_frames, self.clip_len, self.stride, random)
            wanted = set(indices)
            first, last = min(wanted), max(wanted)
            width, height = scaled_size(stream.codec_context.width, stream.codec_context.height,
                                        self.short_side)
            reformatter = VideoReformatter()

            def index_of(frame):
                return round((frame.pts - start_time) * time_base * fps)

            def decode_from(seek_pts):
                container.seek(seek_pts, stream=stream, backward=True, any_frame=False)
                got = {}
                for n, frame in enumerate(container.decode(stream)):
                    if frame.pts is None:
                        raise ValueError(f"{path}: a frame has no pts, so its index is unknown")
                    idx = index_of(frame)
                    if n == 0 and idx > first:
                        return None  # landed after the first wanted frame
                    if idx in wanted:
                        got[idx] = reformatter.reformat(frame, width, height, "rgb24").to_ndarray()
                    if idx >= last:
                        break
                return got

            got = decode_from(start_time + int(Fraction(first) / fps / time_base))
            if got is None:
                got = decode_from(start_time)
            missing = wanted - (got or {}).keys()
            if missing:
                raise ValueError(f"{path}: frames {sorted(missing)} of {num_frames} could not be decoded")
            return np.stack([got[k] for k in indices]), indices

    def transform(self, frames):
        """Random crop, random horizontal flip, normalise; -> float32 C x T x H x W."""
        _, h, w, _ = frames.shape
        s = self.size
        y0 = random.randint(0, h - s)
        x0 = random.randint(0, w - s)
        clip = frames[:, y0:y0 + s, x0:x0 + s]
        if random.random() < 0.5:
            clip = clip[:, :, ::-1]
        x = torch.from_numpy(np.ascontiguousarray(clip)).permute(3, 0, 1, 2).contiguous().float()
        return x.div_(255).sub_(KINETICS_MEAN).div_(KINETICS_STD)


def check_clips(dataset, count):
    """Untimed: a few clips must equal the same frames of a full sequential decode, bit for bit."""
    rng = random.Random(1)
    for path, _ in rng.sample(dataset.samples, min(count, len(dataset.samples))):
        frames, indices = dataset.decode_clip(path)
        with av.open(path) as container:
            stream = container.streams.video[0]
            height, width = frames.shape[1:3]
            reformatter = VideoReformatter()
            reference = [reformatter.reformat(f, width, height, "rgb24").to_ndarray()
                         for f in container.decode(stream)]
        if not all(np.array_equal(frames[t], reference[i]) for t, i in enumerate(indices)):
            raise SystemExit(f"{path}: frames {indices} differ from a sequential decode")
    print(f"checked {count} clips: equal to a sequential decode", file=sys.stderr)


def single_threaded_worker(_worker_id):
    torch.set_num_threads(1)


def measure(dataset, workers, batches, batch_size):
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True, num_workers=workers,
                        worker_init_fn=single_threaded_worker, persistent_workers=workers > 0)
    expected = (3, dataset.clip_len, dataset.size, dataset.size)
    warmup = WARMUP_BATCHES
    timed = clips = 0
    start = time.perf_counter()
    try:
        while timed < batches:
            for x, y in loader:
                if tuple(x.shape[1:]) != expected or x.dtype != torch.float32 or len(y) != x.shape[0]:
                    raise AssertionError(f"unexpected batch {tuple(x.shape)} {x.dtype}")
                if warmup > 0:
                    warmup -= 1
                    start = time.perf_counter()
                    continue
                clips += x.shape[0]
                timed += 1
                if timed == batches:
                    break
        seconds = time.perf_counter() - start
    finally:
        del loader  # stops the persistent workers before the next worker count
    return {"tool": "torch+pyav", "workers": workers, "clips": clips, "seconds": round(seconds, 3),
            "clips_per_s": round(clips / seconds, 2)}


def print_measurement(dataset, workers, batches, batch_size):
    print(json.dumps(measure(dataset, workers, batches, batch_size)), flush=True)


def in_child(target, *args):
    """Runs target in a forked child and waits for it. The check and each worker count get a fresh
    process so that no process forks DataLoader workers after using FFmpeg itself: with PyAV 10 a
    worker forked from a parent that has decoded video can crash (a segfault in the first worker)."""
    child = multiprocessing.get_context("fork").Process(target=target, args=args)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed (exit code {child.exitcode})")


def worker_counts(values):
    """--workers 1 2 4 or --workers 1,2,4."""
    return [int(v) for value in values for v in value.split(",") if v]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("data_dir", metavar="DATA_DIR")
    p.add_argument("--workers", nargs="+", default=["1", "2", "4"], help="worker counts (default: 1 2 4)")
    p.add_argument("--batches", type=int, default=30, help="timed batches (default: 30)")
    p.add_argument("--batch", type=int, default=8, help="videos per batch (default: 8)")
    p.add_argument("--clip-len", type=int, default=16)
    p.add_argument("--stride", type=int, default=2)
    p.add_argument("--size", type=int, default=112, help="crop size (default: 112)")
    p.add_argument("--short-side", type=int, default=128, help="decoded short side (default: 128)")
    p.add_argument("--split", default="train")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", type=int, default=4, metavar="N",
                   help="before timing, compare N clips with a sequential decode (default: 4; 0 skips)")
    args = p.parse_args()
    if args.size > args.short_side:
        p.error("--size must not exceed --short-side")

    split_dir = os.path.join(args.data_dir, args.split)
    if not os.path.isdir(split_dir):
        p.error(f"{split_dir}: not a directory (expected DATA_DIR/{args.split}/<class>/*.mp4)")
    samples, classes = find_videos(split_dir)
    print(f"{len(samples)} videos, {len(classes)} classes in {split_dir}; torch {torch.__version__}, "
          f"pyav {av.__version__}", file=sys.stderr)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    dataset = VideoClipDataset(samples, args.clip_len, args.stride, args.size, args.short_side)
    if args.check > 0:
        in_child(check_clips, dataset, args.check)
    for w in worker_counts(args.workers):
        in_child(print_measurement, dataset, w, args.batches, args.batch)


if __name__ == "__main__":
    main()
