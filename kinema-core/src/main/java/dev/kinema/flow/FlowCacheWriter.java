package dev.kinema.flow;

import dev.kinema.io.FileFingerprint;
import dev.kinema.video.VideoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Precomputes the flow of every video under a dataset root into a {@link FlowCache}: the "precompute
 * flow" step of two-stream training ({@code kinema flow}).
 *
 * <ul>
 *   <li>Parallel: {@code workers} videos at a time, each on its own decoder and estimator.
 *   <li>Resumable: a video whose entry is already complete is skipped; an entry that is damaged
 *       (its checksum is verified) or was computed from another video of the same name (a
 *       re-rendered dataset: see {@link FileFingerprint}) is recomputed. Entries are written to a
 *       temporary file and renamed ({@link dev.kinema.io.AtomicFiles}), so an interrupted run leaves
 *       no half-written entry; its leftover temporary files are deleted by the next run.
 *   <li>Consistent: the manifest is written first; a run into a directory holding other flow
 *       (method, size, step or bound) is refused.
 *   <li>Failures (an undecodable video) are collected with the file and reason and do not stop the run.
 * </ul>
 *
 * Videos are the files under the root whose extension is a video extension
 * ({@link VideoFiles#EXTENSIONS}, as for dataset folders), hidden files and the output directory excepted.
 */
public final class FlowCacheWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FlowCacheWriter.class);
    /** One video that could not be processed. */
    public record Failure(Path video, String reason) {}

    /** What a run did. */
    public record Summary(Path output, int videos, int computed, int skipped, int refreshed, List<Failure> failures,
            long bytes, long fields, double seconds) {
        /** Mean bytes per flow field over the entries written in this run. */
        public double bytesPerField() {
            return fields == 0 ? Double.NaN : bytes / (double) fields;
        }
    }

    /** Called after each video, from worker threads. */
    @FunctionalInterface
    public interface Listener {
        void finished(Path video, int done, int total);
    }

    private final Path dataset;
    private final Path output;
    private final FlowSettings settings;
    private final FlowQuantizer quantizer;
    private final int workers;

    private FlowCacheWriter(Builder b) {
        this.dataset = b.dataset.toAbsolutePath().normalize();
        this.output = b.output.toAbsolutePath().normalize();
        this.settings = b.settings;
        this.quantizer = new FlowQuantizer(b.bound);
        this.workers = b.workers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The videos this writer would process, sorted. */
    public List<Path> videos() throws IOException {
        if (!Files.isDirectory(dataset)) {
            throw new IOException(dataset + ": no such dataset directory");
        }
        try (Stream<Path> files = Files.walk(dataset)) {
            return files.filter(p -> !p.startsWith(output))
                    .filter(p -> !isHidden(dataset.relativize(p)))
                    .filter(p -> VideoFiles.isVideoFile(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The cache entry of {@code video} (a file under the dataset root). */
    public Path entryOf(Path video) {
        return FlowCache.entryFor(output, dataset.relativize(video.toAbsolutePath().normalize()));
    }

    /**
     * Computes what is missing.
     *
     * @throws IOException if the dataset cannot be listed or the output holds other flow
     */
    public Summary run(Listener listener) throws IOException {
        long t0 = System.nanoTime();
        List<Path> videos = videos();
        prepareOutput();
        List<Path> todo = new ArrayList<>();
        Map<Path, FileFingerprint> sources = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        int refreshed = 0;
        for (Path v : videos) {
            FileFingerprint source;
            try {
                source = FileFingerprint.of(v);
            } catch (IOException e) {
                failures.add(new Failure(v, reason(e)));
                continue;
            }
            Optional<String> why = FlowCacheFile.whyNotCurrent(entryOf(v), source);
            if (why.isPresent()) {
                todo.add(v);
                sources.put(v, source);
                if (!why.get().equals("missing")) {
                    refreshed++;
                    LOG.info("{}: recomputing its flow: the entry is {}", v, why.get());
                }
            }
        }
        int skipped = videos.size() - todo.size() - failures.size();
        AtomicInteger done = new AtomicInteger(skipped);
        if (listener != null && skipped > 0) {
            listener.finished(null, skipped, videos.size());
        }
        int unreadable = failures.size();
        long bytes = 0;
        long fields = 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, Math.max(1, todo.size()))), r -> {
            Thread t = new Thread(r, "kinema-flow");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (Path v : todo) {
                futures.add(pool.submit(() -> {
                    try {
                        return computeOne(v, sources.get(v));
                    } finally {
                        if (listener != null) {
                            listener.finished(v, done.incrementAndGet(), videos.size());
                        }
                    }
                }));
            }
            for (int i = 0; i < todo.size(); i++) {
                try {
                    long[] r = futures.get(i).get();
                    bytes += r[0];
                    fields += r[1];
                } catch (ExecutionException e) {
                    failures.add(new Failure(todo.get(i), reason(e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while computing flow into " + output, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(output, videos.size(), todo.size() - (failures.size() - unreadable), skipped, refreshed,
                List.copyOf(failures), bytes, fields, (System.nanoTime() - t0) / 1e9);
    }

    private long[] computeOne(Path video, FileFingerprint source) throws IOException {
        // Quantised field by field: a quarter of the memory of the float flow of a long video.
        byte[][] codes = new byte[1][];
        int[] shape = new int[3];
        ComputedFlow.compute(video, settings, new ComputedFlow.FieldSink() {
            @Override
            public void start(int fields, int height, int width) {
                codes[0] = new byte[Math.multiplyExact(fields, 2 * height * width)];
                shape[0] = fields;
                shape[1] = height;
                shape[2] = width;
            }

            @Override
            public void field(int k, float[] flow) {
                quantizer.quantize(flow, 0, codes[0], k * flow.length, flow.length);
            }
        });
        QuantizedFlow flow = new QuantizedFlow(codes[0], quantizer, shape[0], settings.step(), shape[1], shape[2]);
        long size = FlowCacheFile.write(entryOf(video), flow, settings, quantizer, source);
        return new long[] {size, flow.fields()};
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private void prepareOutput() throws IOException {
        if (output.equals(dataset)) {
            throw new IOException(output + ": the flow directory must not be the dataset directory itself");
        }
        FlowCache.Manifest wanted = FlowCache.Manifest.of(settings, quantizer.bound(), dataset);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IOException(output + ": is a file, not a folder; a flow cache is written into a folder");
        }
        Files.createDirectories(output);
        if (Files.exists(output.resolve(FlowCache.MANIFEST))) {
            // An older format's cache of the same flow is upgraded in place: its entries no longer
            // read as current, so this run recomputes them.
            FlowCache.Manifest existing = FlowCache.readManifest(output, true);
            if (!existing.sameFlowAs(wanted)) {
                throw new IOException(output + " already holds " + existing.describe() + "; asked for "
                        + wanted.describe() + ". Use another --out directory");
            }
            if (!existing.datasetRoot().equals(wanted.datasetRoot()) || existing.version() != wanted.version()) {
                FlowCache.writeManifest(output, wanted);
            }
        } else {
            try (Stream<Path> any = Files.list(output)) {
                if (any.findAny().isPresent()) {
                    throw new IOException(output + " is not empty and is not a flow cache; use a new directory");
                }
            }
            FlowCache.writeManifest(output, wanted);
        }
        deleteLeftoverTemporaries();
    }

    /** Temporary files of an interrupted run ({@code .name.xxxx.tmp}, see AtomicFiles): never entries. */
    private void deleteLeftoverTemporaries() throws IOException {
        try (Stream<Path> files = Files.walk(output)) {
            for (Path p : files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(p);
            }).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    public static final class Builder {
        private Path dataset;
        private Path output;
        private FlowSettings settings;
        private float bound = FlowQuantizer.DEFAULT_BOUND;
        private int workers = Runtime.getRuntime().availableProcessors();

        /** The dataset root: every video under it gets an entry. */
        public Builder setDataset(Path dataset) {
            this.dataset = Objects.requireNonNull(dataset);
            return this;
        }

        /** The cache directory: new, empty, or a cache of the same settings (resumed). */
        public Builder setOutput(Path output) {
            this.output = Objects.requireNonNull(output);
            return this;
        }

        public Builder setSettings(FlowSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** Clipping bound in pixels (default {@value FlowQuantizer#DEFAULT_BOUND}). */
        public Builder optBound(float bound) {
            new FlowQuantizer(bound);
            this.bound = bound;
            return this;
        }

        public Builder optWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        public FlowCacheWriter build() {
            if (dataset == null || output == null || settings == null) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "set the dataset, output and settings (dataset=%s, output=%s, settings=%s)", dataset, output, settings));
            }
            return new FlowCacheWriter(this);
        }
    }
}
