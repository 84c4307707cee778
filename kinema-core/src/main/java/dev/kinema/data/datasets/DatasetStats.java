package dev.kinema.data.datasets;

import dev.kinema.video.VideoDecodeException;
import dev.kinema.video.VideoInfo;
import dev.kinema.video.VideoProbe;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What is inside the videos of a {@link VideoDataset}: every video file is probed (or, with
 * {@link Builder#optVerify(boolean)}, decoded frame by frame) on a pool of worker threads, each
 * file within a time bound, and the result gathers duration statistics per split, frame-rate and
 * resolution histograms and the files that could not be read, next to the annotation counts of
 * {@link DatasetSummary} and the problems of the dataset's {@link DatasetReport}. What
 * {@code kinema dataset stats} prints.
 *
 * <pre>{@code
 * DatasetStats stats = DatasetStats.builder().setDataset(ds).optWorkers(4).build();
 * DatasetStats.Result r = stats.compute(done -> {});
 * r.durations().meanSeconds();   r.unreadable();   // file: reason
 * }</pre>
 *
 * <p>A file that cannot be read is an outcome, not an error: it is listed with the reason of its
 * {@link VideoDecodeException} and left out of the statistics. Frame folders are not probed.
 */
public final class DatasetStats {
    /** The default time bound per file: generous for probing, enough to decode a few minutes of HD. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Duration statistics of a set of samples, in seconds; all NaN when {@code videos} is 0.
     *
     * @param videos readable samples counted
     * @param totalSeconds the sum of their durations
     */
    public record Durations(int videos, double minSeconds, double medianSeconds, double meanSeconds,
            double maxSeconds, double totalSeconds) {

        static Durations of(double[] seconds) {
            if (seconds.length == 0) {
                return new Durations(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            double sum = 0;
            for (double s : sorted) {
                sum += s;
            }
            return new Durations(n, sorted[0], median, sum / n, sorted[n - 1], sum);
        }

        public double totalHours() {
            return totalSeconds / 3600;
        }
    }

    /**
     * One bar of a histogram.
     *
     * @param value the value as printed: a frame rate ("25", "29.97") or a size ("320x240")
     * @param videos how many video files have it
     */
    public record Count(String value, int videos) {}

    /**
     * A video file that could not be read.
     *
     * @param reason why, as {@link VideoDecodeException#reason()} says
     */
    public record Unreadable(Path file, String reason) {
        /** {@code file: reason}, the {@link VideoDecodeException} message. */
        @Override
        public String toString() {
            return file + ": " + reason;
        }
    }

    /**
     * The statistics of one dataset.
     *
     * @param summary sample counts per class and split, from the annotations
     * @param problems the annotation problems of the dataset's report, in the order met
     * @param durationsBySplit duration statistics of the readable samples of each split, in split
     *     order; a sample that is a time range of its file counts that range
     * @param durations the same over all splits
     * @param frameRates video files by frame rate (rounded to 0.001 fps), most common first
     * @param resolutions video files by displayed size, most common first
     * @param unreadable the video files that could not be read, by path
     * @param videoFiles distinct video files looked at (a file shared by several samples counts once)
     * @param frameFolders samples that are folders of frames, which are not probed
     * @param verified true when every frame was decoded rather than only the packets read
     * @param workers the worker threads used
     * @param seconds wall time spent probing
     */
    public record Result(DatasetSummary summary, List<DatasetReport.Problem> problems,
            Map<String, Durations> durationsBySplit, Durations durations, List<Count> frameRates,
            List<Count> resolutions, List<Unreadable> unreadable, int videoFiles, int frameFolders,
            boolean verified, int workers, double seconds) {}

    private final VideoDataset dataset;
    private final int workers;
    private final boolean verify;
    private final Duration timeout;

    private DatasetStats(Builder b) {
        this.dataset = b.dataset;
        this.workers = b.workers;
        this.verify = b.verify;
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The distinct video files {@link #compute} will probe, in dataset order: the progress total. */
    public List<Path> videoFiles() {
        LinkedHashMap<Path, Boolean> files = new LinkedHashMap<>();
        for (VideoSample s : dataset.samples()) {
            if (!s.isFrameFolder()) {
                files.put(s.path(), Boolean.TRUE);
            }
        }
        return List.copyOf(files.keySet());
    }

    /**
     * Probes every video file and gathers the statistics. Blocks until done; the worker threads
     * are gone when it returns or throws.
     *
     * @param progress called with the number of files done after each one (from worker threads)
     * @throws IllegalStateException when interrupted
     */
    public Result compute(IntConsumer progress) {
        long start = System.nanoTime();
        List<Path> files = videoFiles();
        Map<Path, Probe> probes = probeAll(files, progress);
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Durations> bySplit = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        int frameFolders = 0;
        for (String split : dataset.splits()) {
            List<Double> durations = new ArrayList<>();
            for (VideoSample s : dataset.samples(split)) {
                if (s.isFrameFolder()) {
                    frameFolders++;
                    continue;
                }
                VideoInfo info = probes.get(s.path()).info;
                if (info != null && Double.isFinite(info.durationSeconds())) {
                    durations.add(sampleSeconds(s, info));
                }
            }
            if (!durations.isEmpty()) {
                bySplit.put(split, Durations.of(toArray(durations)));
            }
            all.addAll(durations);
        }

        Map<String, Integer> frameRates = new HashMap<>();
        Map<String, Integer> resolutions = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path file : files) {
            Probe p = probes.get(file);
            if (p.info != null) {
                frameRates.merge(fpsLabel(p.info.fps()), 1, Integer::sum);
                resolutions.merge(p.info.width() + "x" + p.info.height(), 1, Integer::sum);
            } else {
                unreadable.add(new Unreadable(file, p.failure.reason()));
            }
        }
        unreadable.sort(Comparator.comparing(u -> u.file().toString()));
        return new Result(DatasetSummary.of(dataset), dataset.report().problems(), bySplit,
                Durations.of(toArray(all)), histogram(frameRates), histogram(resolutions), List.copyOf(unreadable),
                files.size(), frameFolders, verify, threadsFor(files.size()), seconds);
    }

    /** A file's info, or why it could not be read. */
    private record Probe(VideoInfo info, VideoDecodeException failure) {}

    private Map<Path, Probe> probeAll(List<Path> files, IntConsumer progress) {
        Map<Path, Probe> out = new HashMap<>();
        if (files.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threadsFor(files.size()), r -> {
            Thread t = new Thread(r, "kinema-dataset-stats");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Probe>> futures = new ArrayList<>(files.size());
            for (Path file : files) {
                futures.add(pool.submit(() -> {
                    Probe p = probe(file);
                    progress.accept(done.incrementAndGet());
                    return p;
                }));
            }
            for (int i = 0; i < files.size(); i++) {
                out.put(files.get(i), futures.get(i).get());
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("cannot probe the videos of " + dataset.root() + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the videos of " + dataset.root(), e);
        } finally {
            shutDown(pool);
        }
        return out;
    }

    private Probe probe(Path file) {
        try {
            return new Probe(verify ? VideoProbe.verify(file, timeout) : VideoProbe.probe(file, timeout), null);
        } catch (VideoDecodeException e) {
            return new Probe(null, e);
        }
    }

    /**
     * Stops the workers and waits for them: queued files are dropped, and a file being read stops
     * within its own time bound, so the wait is bounded too.
     */
    private void shutDown(ExecutorService pool) {
        pool.shutdownNow();
        // Wait even when this thread was interrupted, then tell the caller it was.
        boolean interrupted = Thread.interrupted();
        try {
            pool.awaitTermination(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int threadsFor(int files) {
        return Math.max(1, Math.min(workers, files));
    }

    /** The sample's length: the whole file, or the part of its time range that the file covers. */
    private static double sampleSeconds(VideoSample s, VideoInfo info) {
        if (s.isWholeFile()) {
            return info.durationSeconds();
        }
        return Math.max(0, Math.min(s.endSeconds(), info.durationSeconds()) - s.startSeconds());
    }

    /** A frame rate as people write it: 25, 29.97, 23.976. */
    static String fpsLabel(double fps) {
        if (!(fps > 0) || !Double.isFinite(fps)) {
            return "unknown";
        }
        return BigDecimal.valueOf(fps).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static List<Count> histogram(Map<String, Integer> counts) {
        List<Count> out = new ArrayList<>();
        counts.forEach((value, n) -> out.add(new Count(value, n)));
        out.sort(Comparator.comparingInt(Count::videos).reversed().thenComparing(Count::value));
        return List.copyOf(out);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static final class Builder {
        private VideoDataset dataset;
        private int workers = Runtime.getRuntime().availableProcessors();
        private boolean verify;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {}

        public Builder setDataset(VideoDataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            return this;
        }

        /** Worker threads probing files at once (default: one per core). */
        public Builder optWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** Decode every frame of every file (slow, catches damage only the decoder sees) instead of probing. */
        public Builder optVerify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /** The time bound per file (default {@link #DEFAULT_TIMEOUT}); a file over it is unreadable. */
        public Builder optTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public DatasetStats build() {
            if (dataset == null) {
                throw new IllegalStateException("setDataset is required");
            }
            return new DatasetStats(this);
        }
    }
}
