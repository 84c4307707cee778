package dev.kinema.video;

import java.time.Duration;
import java.util.Objects;

/** How a {@link VideoReader} decodes: output size, time bound, threads and seek strategy. */
public final class ReaderOptions {
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

    private ReaderOptions(Builder b) {
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

    public Builder toBuilder() {
        return new Builder().optSize(size).optTimeout(timeout).optThreads(threads).optStrategy(strategy);
    }

    public static final class Builder {
        private FrameSize size = FrameSize.original();
        private Duration timeout = Duration.ofSeconds(60);
        private int threads;
        private Strategy strategy = Strategy.AUTO;

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

        public ReaderOptions build() {
            return new ReaderOptions(this);
        }
    }
}
