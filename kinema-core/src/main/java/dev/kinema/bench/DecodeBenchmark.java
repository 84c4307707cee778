package dev.kinema.bench;

import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.sampling.TemporalIndex;
import dev.kinema.data.sampling.VideoTimeline;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoInfo;
import dev.kinema.video.VideoProbe;
import dev.kinema.video.VideoReader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Clips per second of decoding T×size×size RGB clips from one file, the two ways a video model
 * reads: {@link Mode#UNIFORM} (T frames spread over the whole video: the test-time case) and
 * {@link Mode#RANDOM} (one random T-frame clip at a frame stride: the training case).
 *
 * <p>Each clip opens its own reader by default, as a data loader does with a fresh video per item;
 * the side-by-side PyAV script under {@code tools/bench/} does the same work.
 */
public final class DecodeBenchmark {
    /** Where a clip's frames come from. */
    public enum Mode { UNIFORM, RANDOM }

    /** One run's outcome. */
    public record Result(Path file, Mode mode, int clips, int frames, int size, int stride, int threads,
            boolean reopen, double seconds, double clipsPerSecond, double framesDecodedPerClip) {}

    private final Path file;
    private Mode mode = Mode.UNIFORM;
    private int frames = 16;
    private int size = 112;
    private int stride = 4;
    private int clips = 50;
    private int warmup = 3;
    private int threads;
    private long seed = 0;
    private boolean reopen = true;

    private DecodeBenchmark(Path file) {
        this.file = Objects.requireNonNull(file);
    }

    public static DecodeBenchmark of(Path file) {
        return new DecodeBenchmark(file);
    }

    public DecodeBenchmark optMode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public DecodeBenchmark optFrames(int frames) {
        this.frames = frames;
        return this;
    }

    public DecodeBenchmark optSize(int size) {
        this.size = size;
        return this;
    }

    /** Frame stride of the random clip. */
    public DecodeBenchmark optStride(int stride) {
        this.stride = stride;
        return this;
    }

    public DecodeBenchmark optClips(int clips) {
        this.clips = clips;
        return this;
    }

    public DecodeBenchmark optWarmup(int warmup) {
        this.warmup = warmup;
        return this;
    }

    /** Decoder threads per reader; 0 lets FFmpeg choose. */
    public DecodeBenchmark optThreads(int threads) {
        this.threads = threads;
        return this;
    }

    public DecodeBenchmark optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Open a new reader for every clip (default), or keep one reader for the whole run. */
    public DecodeBenchmark optReopen(boolean reopen) {
        this.reopen = reopen;
        return this;
    }

    public Result run() {
        if (clips <= 0 || frames <= 0 || size <= 0 || stride <= 0) {
            throw new IllegalArgumentException("clips, frames, size and stride must be positive");
        }
        VideoInfo info = VideoProbe.probe(file);
        VideoTimeline timeline = VideoTimeline.of(info);
        ClipSampler randomClip = ClipSamplers.builder().mode("random").clipLen(frames).frameStride(stride).clips(1).build();
        int[] uniform = TemporalIndex.uniformTemporalSubsample(timeline.frames(), frames);
        ReaderOptions options = ReaderOptions.builder()
                .optSize(FrameSize.exact(size, size)).optThreads(threads).build();
        SplittableRandom rng = new SplittableRandom(seed);
        long decoded = 0;
        long start = 0;
        VideoReader shared = reopen ? null : VideoReader.open(file, options);
        try {
            for (int i = -warmup; i < clips; i++) {
                if (i == 0) {
                    start = System.nanoTime();
                    decoded = 0;
                }
                int[] indices = mode == Mode.UNIFORM ? uniform : randomClip.sample(timeline, rng).get(0).frameIndices();
                if (reopen) {
                    try (VideoReader reader = VideoReader.open(file, options)) {
                        reader.read(indices);
                        decoded += reader.stats().framesDecoded();
                    }
                } else {
                    long before = shared.stats().framesDecoded();
                    shared.read(indices);
                    decoded += shared.stats().framesDecoded() - before;
                }
            }
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(file, mode, clips, frames, size, stride, threads, reopen, seconds, clips / seconds,
                (double) decoded / clips);
    }
}
