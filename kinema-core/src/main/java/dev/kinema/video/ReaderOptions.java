package dev.kinema.video;

import dev.kinema.io.SystemSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/** How a {@link VideoReader} decodes: output size, time bound, threads and seek strategy. */
public final class ReaderOptions {
    /**
     * System property overriding the decoder threads per reader that {@link #threadsPerReader} gives
     * a loader: {@code -Dkinema.decodeThreads=N} (0 lets FFmpeg choose).
     */
    public static final String DECODE_THREADS_PROPERTY = "kinema.decodeThreads";

    /** How libavcodec spreads one reader's decoding over its threads ({@code AVCodecContext.thread_type}). */
    public enum ThreadType {
        /**
         * Frame threads: each thread decodes a whole frame, frames in flight at once (FFmpeg's
         * {@code FF_THREAD_FRAME}). Works on any H.264/HEVC/VP9 file, adds one frame of latency per thread.
         */
        FRAME(1),
        /** Slice threads: one frame's slices in parallel; nothing to share on one-slice files. */
        SLICE(2),
        /** Either, as the codec prefers (libavcodec's default: FRAME when the codec has it). */
        FRAME_OR_SLICE(1 | 2);

        // libavcodec's FF_THREAD_FRAME (1) and FF_THREAD_SLICE (2), which JavaCV's presets leave out.
        private final int ffmpegFlags;

        ThreadType(int ffmpegFlags) {
            this.ffmpegFlags = ffmpegFlags;
        }

        /** The {@code AVCodecContext.thread_type} bits. */
        public int ffmpegFlags() {
            return ffmpegFlags;
        }
    }

    /** How to reach the requested frames. */
    public enum Strategy {
        /** Per request, whichever of {@link #SEQUENTIAL} and {@link #SEEK} decodes fewer packets. */
        AUTO,
        /** Decode from the start (or from where the last read stopped), never seek. */
        SEQUENTIAL,
        /** Seek to the keyframe before each group of requested frames. */
        SEEK
    }

    private final FrameSize size;
    private final Duration timeout;
    private final int threads;
    private final Strategy strategy;
    private final ThreadType threadType;

    private ReaderOptions(Builder b) {
        this.threadType = b.threadType;
        this.size = b.size;
        this.timeout = b.timeout;
        this.threads = b.threads;
        this.strategy = b.strategy;
    }

    public static ReaderOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public FrameSize size() {
        return size;
    }

    /** Upper bound on the wall time of opening the file and of each read. */
    public Duration timeout() {
        return timeout;
    }

    /** Decoder threads; 0 lets FFmpeg choose. */
    public int threads() {
        return threads;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** How the decoder threads share the work; {@link ThreadType#FRAME} by default. */
    public ThreadType threadType() {
        return threadType;
    }

    /**
     * Decoder threads for each of {@code concurrentReaders} readers that decode at the same time (a
     * loader's workers times the clips each decodes at once): the cores divided among them, at least
     * one, so the readers together never ask for more threads than there are cores. The system
     * property {@value #DECODE_THREADS_PROPERTY} overrides it.
     */
    public static int threadsPerReader(int concurrentReaders) {
        OptionalInt forced = SystemSettings.wholeNumber(DECODE_THREADS_PROPERTY, 0);
        if (forced.isPresent()) {
            return forced.getAsInt();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, cores / Math.max(1, concurrentReaders));
    }

    public Builder toBuilder() {
        return new Builder().optSize(size).optTimeout(timeout).optThreads(threads).optStrategy(strategy)
                .optThreadType(threadType);
    }

    public static final class Builder {
        private FrameSize size = FrameSize.original();
        private Duration timeout = Duration.ofSeconds(60);
        private int threads;
        private Strategy strategy = Strategy.AUTO;
        private ThreadType threadType = ThreadType.FRAME;

        public Builder optSize(FrameSize size) {
            this.size = Objects.requireNonNull(size);
            return this;
        }

        public Builder optTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder optStrategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy);
            return this;
        }

        /** How the decoder's threads share the work (default {@link ThreadType#FRAME}). */
        public Builder optThreadType(ThreadType threadType) {
            this.threadType = Objects.requireNonNull(threadType);
            return this;
        }

        public ReaderOptions build() {
            if (threads < 0) {
                throw new IllegalArgumentException("decoder threads must be >= 0 (0 lets FFmpeg choose), got " + threads);
            }
            return new ReaderOptions(this);
        }
    }
}
