package dev.kinema.data.loader;

import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.ClipTransform;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.flow.FlowSource;
import dev.kinema.flow.StaleFlowException;
import dev.kinema.io.SystemSettings;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes, samples and transforms clips on background threads and hands them out as collated
 * batches, so a model never waits for the decoder (PyTorch's DataLoader, for Kinema).
 *
 * <p>Each epoch shuffles the videos with a seed derived from (seed, epoch), and every video draws
 * its clips and augmentations from a generator derived from (seed, epoch, video), so an epoch is
 * the same whatever the number of workers or their timing. Batch {@code k} is built by worker
 * {@code k mod W} and batches come out in order, as in PyTorch. Each worker keeps at most
 * {@code prefetch} finished batches, so memory is bounded however long the epoch.
 *
 * <p>A video that cannot be read is skipped and recorded ({@link #failures()}); it never stops an
 * epoch. Closing an epoch (or the loader) stops and joins its threads.
 *
 * <p><b>One path for every modality.</b> A worker makes each video's {@link Clip}s with a
 * {@link ClipDecoder} (segment trimming, sampling, frames and flow), transforms them with
 * {@link FieldTransform}s and collates them with a {@link ClipCollate}; RGB, flow and two-stream
 * clips differ only in the fields the decoder fills. With {@link Builder#optModality} {@code FLOW}
 * or {@code RGB_FLOW} and a {@link FlowSource}, each sampled clip is a stack of L consecutive flow
 * fields starting at its first frame ({@link FlowStacks}), 2×L×H×W, or frames and fields packed as
 * 5×L×H×W (frame {@code t} with the field that starts at it), cropped and flipped by a
 * {@link SpatialAugment} (one window for frames and flow; a flip negates dx).
 *
 * <pre>{@code
 * try (ClipLoader loader = ClipLoader.builder()
 *         .setSamples(dataset.samples("train"))
 *         .setSampler(ClipSamplers.builder().mode("random").clipLen(16).frameStride(2).build())
 *         .optTransform(Compose.of(Crop.random(112), Flip.horizontal(0.5)))
 *         .optBatchSize(8).optWorkers(2).optSeed(0).build();
 *      ClipLoader.Epoch epoch = loader.epoch(0)) {
 *     for (ClipBatch batch : epoch) { ... }
 * }
 * }</pre>
 */
public final class ClipLoader implements AutoCloseable {
    /** System property overriding the videos each worker decodes at once: {@code -Dkinema.concurrentClips=N}. */
    public static final String CONCURRENT_CLIPS_PROPERTY = "kinema.concurrentClips";

    private static final Logger LOG = LoggerFactory.getLogger(ClipLoader.class);

    private final List<VideoSample> samples;
    private final ClipDecoder decoder;
    private final FieldTransform transform;
    private final ClipCollate collate;
    private final List<FieldTransform> views;
    private final int concurrentClips;
    private final int decoderThreads;
    private final int batchSize;
    private final int workers;
    private final int prefetch;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final List<LoadFailure> failures = new CopyOnWriteArrayList<>();
    private final List<Epoch> open = new CopyOnWriteArrayList<>();

    private ClipLoader(Builder b) {
        this.samples = List.copyOf(b.samples);
        this.concurrentClips = b.concurrentClips > 0 ? b.concurrentClips : defaultConcurrentClips(b.workers);
        int decoderThreads = b.decoderThreads >= 0 ? b.decoderThreads
                : ReaderOptions.threadsPerReader(b.workers * concurrentClips);
        ReaderOptions readerOptions = ReaderOptions.builder().optSize(b.decodeSize).optThreads(decoderThreads)
                .optThreadType(b.threadType).optTimeout(b.timeout).build();
        this.decoderThreads = decoderThreads;
        ClipDecoder clips = new ClipDecoder(readerOptions, b.sampler, b.modality, b.flowSource, b.flowLength,
                b.flowNormalization);
        this.decoder = b.audioRate > 0 ? clips.withAudio(b.audioRate) : clips;
        // Frames-only transforms (photometric ones such as RandAugment) before the crop, as PyTorchVideo.
        this.transform = FieldTransform.compose(b.transform == null ? null : FieldTransform.frames(b.transform),
                b.fieldTransform, b.spatialAugment);
        this.collate = new ClipCollate(b.modality, b.toTensor);
        this.views = List.copyOf(b.views);
        this.batchSize = b.batchSize;
        this.workers = b.workers;
        this.prefetch = b.prefetch;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Videos each worker decodes at once by default: its share of the cores (cores / workers, at least 1),
     * or the system property {@value #CONCURRENT_CLIPS_PROPERTY}.
     */
    static int defaultConcurrentClips(int workers) {
        OptionalInt forced = SystemSettings.wholeNumber(CONCURRENT_CLIPS_PROPERTY, 1);
        if (forced.isPresent()) {
            return forced.getAsInt();
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
    }

    /** Videos each worker decodes at once (1: one after another). */
    public int concurrentClips() {
        return concurrentClips;
    }

    /** FFmpeg threads of each reader. */
    public int decoderThreads() {
        return decoderThreads;
    }

    /** Videos per epoch. */
    public int size() {
        return samples.size();
    }

    /** Batches per epoch (before any video is skipped). */
    public int batches() {
        return dropLast ? samples.size() / batchSize : (samples.size() + batchSize - 1) / batchSize;
    }

    /** Videos skipped so far, with the reason, across all epochs. */
    public List<LoadFailure> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** Starts epoch {@code epoch}: its workers begin decoding at once. Close it when done. */
    public Epoch epoch(int epoch) {
        Epoch e = new Epoch(epoch);
        open.add(e);
        return e;
    }

    @Override
    public void close() {
        for (Epoch e : open) {
            e.close();
        }
    }

    /** The order of the videos in {@code epoch}. */
    int[] order(int epoch) {
        int[] order = new int[samples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = ClipSamplers.rng(seed, epoch, -1);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * Everything one batch needs, decoded, transformed and collated; null if every video in it failed.
     * With a {@code pool} the batch's videos are decoded concurrently; their clips are gathered in
     * the batch's order, so the batch is the same as decoded one after another (each video draws
     * from its own generator).
     */
    private ClipBatch load(int epoch, int batch, int[] order, ExecutorService pool) throws InterruptedException {
        int from = batch * batchSize;
        int to = Math.min(order.length, from + batchSize);
        List<Clip> clips = new ArrayList<>();
        if (pool == null || to - from < 2) {
            for (int k = from; k < to; k++) {
                clips.addAll(loadVideo(epoch, order[k]));
            }
        } else {
            List<Future<List<Clip>>> pending = new ArrayList<>(to - from);
            try {
                for (int k = from; k < to; k++) {
                    int video = order[k];
                    pending.add(pool.submit(() -> loadVideo(epoch, video)));
                }
                for (Future<List<Clip>> f : pending) {
                    clips.addAll(f.get());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                for (Future<List<Clip>> f : pending) {
                    f.cancel(true);
                }
            }
        }
        return clips.isEmpty() ? null : collate.collate(batch, clips);
    }

    /** One video's clips, transformed (and one per view); empty if it cannot be read, which is recorded. */
    private List<Clip> loadVideo(int epoch, int video) {
        VideoSample sample = samples.get(video);
        SplittableRandom rng = ClipSamplers.rng(seed, epoch, video);
        List<Clip> clips = new ArrayList<>();
        try {
            List<Clip> decoded = decoder.decode(sample, rng);
            // Augmentation draws from its own stream, after the sampler's draws.
            Random augment = new Random(rng.nextLong());
            List<Clip> transformed = new ArrayList<>(decoded.size());
            for (Clip clip : decoded) {
                transformed.add(transform.apply(clip, augment));
            }
            if (views.isEmpty()) {
                clips.addAll(transformed);
            }
            for (FieldTransform view : views) {
                for (Clip clip : transformed) {
                    clips.add(view.apply(clip, augment));
                }
            }
        } catch (StaleFlowException e) {
            // Not one bad video but an out-of-date cache: stop rather than train on other videos' flow.
            throw new UncheckedIOException(e);
        } catch (VideoDecodeException | IndexOutOfBoundsException | IllegalArgumentException | IOException e) {
            failures.add(new LoadFailure(sample.path(), epoch, e.getMessage()));
            LOG.warn("skipping {}: {}", sample.path(), e.getMessage());
            return List.of();
        }
        return clips;
    }

    /**
     * One pass over the videos. Iterate it once; close it to stop its workers early.
     */
    public final class Epoch implements Iterable<ClipBatch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int total;
        private final List<BlockingQueue<Object>> queues = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean closed;
        private int next;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.total = batches();
            int w = Math.max(1, Math.min(workers, Math.max(1, total)));
            for (int i = 0; i < w; i++) {
                BlockingQueue<Object> q = new ArrayBlockingQueue<>(prefetch);
                queues.add(q);
                int worker = i;
                Thread t = new Thread(() -> work(worker, w, q), "kinema-loader-e" + epoch + "-w" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
        }

        private void work(int worker, int stride, BlockingQueue<Object> queue) {
            List<Thread> clipThreads = new CopyOnWriteArrayList<>();
            ExecutorService pool = concurrentClips > 1 ? clipPool(worker, clipThreads) : null;
            try {
                for (int b = worker; b < total && !closed; b += stride) {
                    Object item;
                    try {
                        ClipBatch batch = load(epoch, b, order, pool);
                        item = batch != null ? batch : Skipped.INSTANCE;
                    } catch (RuntimeException | Error e) {
                        item = new Failed(e);
                    }
                    queue.put(item);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (pool != null) {
                    stop(pool, clipThreads);
                }
            }
        }

        /**
         * Stops a clip pool and waits for its threads, so none outlives the epoch (even when interrupted).
         * The threads are joined as well: a terminated pool's last thread may still be returning from
         * its run method, and a caller checking for live threads right after close would see it.
         */
        private static void stop(ExecutorService pool, List<Thread> threads) {
            pool.shutdownNow();
            boolean interrupted = Thread.interrupted();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The threads one worker decodes its batch's videos on; they end with the worker. */
        private ExecutorService clipPool(int worker, List<Thread> made) {
            return Executors.newFixedThreadPool(concurrentClips, r -> {
                Thread t = new Thread(r, "kinema-loader-e" + epoch + "-w" + worker + "-c" + made.size());
                t.setDaemon(true);
                made.add(t);
                return t;
            });
        }

        @Override
        public Iterator<ClipBatch> iterator() {
            return new Iterator<>() {
                private ClipBatch ready;

                @Override
                public boolean hasNext() {
                    while (ready == null && next < total && !closed) {
                        Object item = take(queues.get(next % queues.size()));
                        next++;
                        if (item instanceof Failed f) {
                            if (f.error instanceof java.io.UncheckedIOException user) {
                                throw user; // a file the user must fix (a stale cache): its own message
                            }
                            throw new IllegalStateException("clip loader worker failed: " + f.error.getMessage(), f.error);
                        }
                        if (item instanceof ClipBatch b) {
                            ready = b;
                        }
                    }
                    return ready != null;
                }

                @Override
                public ClipBatch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ClipBatch b = ready;
                    ready = null;
                    return b;
                }
            };
        }

        private Object take(BlockingQueue<Object> queue) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
        }

        /** Stops the workers and waits for them; safe to call twice. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (BlockingQueue<Object> q : queues) {
                q.clear();
            }
            open.remove(this);
        }

        /** Finished batches waiting in the workers' queues (at most workers × prefetch). */
        public int buffered() {
            return queues.stream().mapToInt(BlockingQueue::size).sum();
        }

        /** Whether every worker thread has ended. */
        public boolean stopped() {
            return threads.stream().noneMatch(Thread::isAlive);
        }
    }

    private enum Skipped { INSTANCE }

    private record Failed(Throwable error) {}

    /** DJL-style builder: {@code setX} is required, {@code optY} optional. */
    public static final class Builder {
        private List<VideoSample> samples;
        private ClipSampler sampler;
        private ClipTransform transform;
        private FieldTransform fieldTransform;
        private List<FieldTransform> views = List.of();
        private int audioRate;
        private ToTensor toTensor = new ToTensor(dev.kinema.data.transforms.Normalization.KINETICS,
                dev.kinema.data.transforms.Layout.CTHW);
        private FrameSize decodeSize = FrameSize.shortSide(128);
        private int decoderThreads = -1;
        private int concurrentClips;
        private ReaderOptions.ThreadType threadType = ReaderOptions.ThreadType.FRAME;
        private Duration timeout = Duration.ofSeconds(60);
        private int batchSize = 8;
        private int workers = 2;
        private int prefetch = 2;
        private boolean shuffle = true;
        private boolean dropLast;
        private long seed;
        private Modality modality = Modality.RGB;
        private FlowSource flowSource;
        private int flowLength;
        private FlowNormalization flowNormalization = FlowNormalization.DEFAULT;
        private SpatialAugment spatialAugment = SpatialAugment.none();

        public Builder setSamples(List<VideoSample> samples) {
            this.samples = Objects.requireNonNull(samples);
            return this;
        }

        public Builder setSampler(ClipSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler);
            return this;
        }

        /**
         * A transform of the frames after decoding (crop, flip, RandAugment...), applied first; all
         * clips of a batch must end the same size. Flow clips take {@link #optSpatialAugment}, which
         * cuts frames and flow alike.
         */
        public Builder optTransform(ClipTransform transform) {
            this.transform = transform;
            return this;
        }

        /**
         * A transform of named fields of each clip ({@link FieldTransform}), applied after
         * {@link #optTransform} and before {@link #optSpatialAugment}.
         */
        public Builder optFieldTransform(FieldTransform transform) {
            this.fieldTransform = transform;
            return this;
        }

        /** Normalisation and layout; default Kinetics mean/std, C×T×H×W. */
        public Builder optToTensor(ToTensor toTensor) {
            this.toTensor = Objects.requireNonNull(toTensor);
            return this;
        }

        /** Size the decoder scales frames to; default short side 128. */
        public Builder optDecodeSize(FrameSize size) {
            this.decodeSize = Objects.requireNonNull(size);
            return this;
        }

        /**
         * FFmpeg threads per reader (0 lets FFmpeg choose). Default: the cores divided among the
         * readers decoding at once (workers × {@link #optConcurrentClips}), at least 1, so a loader
         * never asks for more threads than there are cores ({@link ReaderOptions#threadsPerReader},
         * {@code -Dkinema.decodeThreads}).
         */
        public Builder optDecoderThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("decoder threads must be >= 0 (0 lets FFmpeg choose), got " + threads);
            }
            this.decoderThreads = threads;
            return this;
        }

        /** How each reader's threads share the work; default {@link ReaderOptions.ThreadType#FRAME}. */
        public Builder optDecoderThreadType(ReaderOptions.ThreadType type) {
            this.threadType = Objects.requireNonNull(type);
            return this;
        }

        /**
         * Videos each worker decodes at once, on its own small pool (1: one after another). The batch
         * is the same either way. Default: the worker's share of the cores (cores / workers), at least 1
         * ({@code -Dkinema.concurrentClips} overrides it).
         */
        public Builder optConcurrentClips(int videos) {
            if (videos < 1) {
                throw new IllegalArgumentException("concurrent clips must be at least 1, got " + videos);
            }
            this.concurrentClips = videos;
            return this;
        }

        public Builder optTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Finished batches each worker may hold; default 2 (PyTorch's prefetch_factor). */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * What a clip holds (default {@link Modality#RGB}). {@code FLOW} and {@code RGB_FLOW} need
         * {@link #optFlow}; their crops and flips come from {@link #optSpatialAugment}.
         */
        public Builder optModality(Modality modality) {
            this.modality = Objects.requireNonNull(modality);
            return this;
        }

        /**
         * Where flow comes from (a cache or flow computed on the fly) and how many consecutive
         * fields make a clip's stack (L).
         */
        public Builder optFlow(FlowSource source, int length) {
            this.flowSource = Objects.requireNonNull(source);
            this.flowLength = length;
            return this;
        }

        /**
         * Several views of every clip for multi-view testing (e.g. {@link CropView#views}), applied
         * after the other transforms: a batch then holds, for each video in turn, all its clips
         * under view 0, then all under view 1, and so on (the order of three-crop testing's
         * concatenated views). Default none: one clip per sampled clip.
         */
        public Builder optViews(List<FieldTransform> views) {
            this.views = List.copyOf(views);
            return this;
        }

        /**
         * Fill each clip's {@link Clip#audio} with its mono sound at {@code sampleRate} (for field
         * transforms and tasks that use it; the collated batch does not carry audio yet). Default
         * none; a video without sound is then skipped as unreadable.
         */
        public Builder optAudio(int sampleRate) {
            this.audioRate = sampleRate;
            return this;
        }

        /** Flow clipping and scaling; default {@link FlowNormalization#DEFAULT}. */
        public Builder optFlowNormalization(FlowNormalization normalization) {
            this.flowNormalization = Objects.requireNonNull(normalization);
            return this;
        }

        /**
         * The crop and flip of every clip, cut alike from its frames, flow and boxes (default none:
         * the decoded size); applied last.
         */
        public Builder optSpatialAugment(SpatialAugment augment) {
            this.spatialAugment = Objects.requireNonNull(augment);
            return this;
        }

        public ClipLoader build() {
            if (samples == null || sampler == null) {
                throw new IllegalStateException("setSamples and setSampler are required");
            }
            if (modality.needsFlow()) {
                if (flowSource == null || flowLength < 1) {
                    throw new IllegalStateException(modality + " clips need optFlow(source, length >= 1)");
                }
                if (transform != null) {
                    // A frames-only crop would cut the frames from another window than the flow.
                    throw new IllegalStateException(modality + " clips are cropped and flipped by optSpatialAugment, "
                            + "not by a ClipTransform");
                }
                if (toTensor.layout() != Layout.CTHW) {
                    throw new IllegalStateException(modality + " clips are laid out C x T x H x W");
                }
            }
            if (batchSize < 1 || workers < 1 || prefetch < 1) {
                throw new IllegalArgumentException("batch size, workers and prefetch must be at least 1");
            }
            return new ClipLoader(this);
        }
    }
}
