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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
            ReaderOptions.ThreadType threadType, ReaderOptions.Strategy strategy, int concurrent,
            boolean reopen, double seconds, double cpuSeconds, double clipsPerSecond, double framesDecodedPerClip,
            double seeksPerClip) {}

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
    private ReaderOptions.ThreadType threadType = ReaderOptions.ThreadType.FRAME;
    private ReaderOptions.Strategy strategy = ReaderOptions.Strategy.AUTO;
    private int concurrent = 1;

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

    /** How each reader's threads share the work (default FRAME). */
    public DecodeBenchmark optThreadType(ReaderOptions.ThreadType threadType) {
        this.threadType = Objects.requireNonNull(threadType);
        return this;
    }

    /** How a reader reaches the frames: seek where it pays (AUTO, default), always, or never. */
    public DecodeBenchmark optStrategy(ReaderOptions.Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy);
        return this;
    }

    /**
     * Clips decoded at once, each by its own reader on its own thread, as the loader decodes a batch's
     * videos (default 1: one after another). Needs a reader per clip.
     */
    public DecodeBenchmark optConcurrent(int concurrent) {
        this.concurrent = concurrent;
        return this;
    }

    /** Open a new reader for every clip (default), or keep one reader for the whole run. */
    public DecodeBenchmark optReopen(boolean reopen) {
        this.reopen = reopen;
        return this;
    }

    public Result run() {
        if (clips <= 0 || frames <= 0 || size <= 0 || stride <= 0 || concurrent <= 0) {
            throw new IllegalArgumentException("clips, frames, size, stride and concurrent clips must be positive");
        }
        if (concurrent > 1 && !reopen) {
            throw new IllegalArgumentException("concurrent clips need a reader per clip (not --keep-open)");
        }
        VideoInfo info = VideoProbe.probe(file);
        VideoTimeline timeline = VideoTimeline.of(info);
        ClipSampler randomClip = ClipSamplers.builder().mode("random").clipLen(frames).frameStride(stride).clips(1).build();
        int[] uniform = TemporalIndex.uniformTemporalSubsample(timeline.frames(), frames);
        ReaderOptions options = ReaderOptions.builder().optSize(FrameSize.exact(size, size)).optThreads(threads)
                .optThreadType(threadType).optStrategy(strategy).build();
        SplittableRandom rng = new SplittableRandom(seed);
        // Every clip's indices drawn up front, so the clips are the same however they are decoded.
        int[][] indices = new int[warmup + clips][];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = mode == Mode.UNIFORM ? uniform : randomClip.sample(timeline, rng).get(0).frameIndices();
        }
        long[] work = new long[2];
        if (concurrent > 1) {
            decodeConcurrently(options, Arrays.copyOfRange(indices, 0, warmup), new long[2]);
        } else {
            decodeInTurn(options, Arrays.copyOfRange(indices, 0, warmup), new long[2]);
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        int[][] timed = Arrays.copyOfRange(indices, warmup, indices.length);
        if (concurrent > 1) {
            decodeConcurrently(options, timed, work);
        } else {
            decodeInTurn(options, timed, work);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        return new Result(file, mode, clips, frames, size, stride, threads, threadType, strategy, concurrent, reopen,
                seconds, cpuSeconds, clips / seconds, (double) work[0] / clips, (double) work[1] / clips);
    }

    /** Decodes the clips one after another; adds frames decoded and seeks to {@code work}. */
    private void decodeInTurn(ReaderOptions options, int[][] clipIndices, long[] work) {
        if (reopen) {
            for (int[] clip : clipIndices) {
                decodeOne(options, clip, work);
            }
            return;
        }
        try (VideoReader shared = VideoReader.open(file, options)) {
            for (int[] clip : clipIndices) {
                shared.read(clip);
            }
            work[0] += shared.stats().framesDecoded();
            work[1] += shared.stats().seeks();
        }
    }

    private void decodeOne(ReaderOptions options, int[] clip, long[] work) {
        try (VideoReader reader = VideoReader.open(file, options)) {
            reader.read(clip);
            synchronized (work) {
                work[0] += reader.stats().framesDecoded();
                work[1] += reader.stats().seeks();
            }
        }
    }

    /** Decodes the clips {@link #concurrent} at a time, each with its own reader. */
    private void decodeConcurrently(ReaderOptions options, int[][] clipIndices, long[] work) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrent, r -> {
            Thread t = new Thread(r, "kinema-bench-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int[] clip : clipIndices) {
                pending.add(pool.submit(() -> decodeOne(options, clip, work)));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }
}
