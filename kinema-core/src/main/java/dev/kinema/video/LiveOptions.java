package dev.kinema.video;

import java.time.Duration;
import java.util.Objects;

/**
 * How a live input is read ({@link FrameSource#live}): output size, the bounded buffer between the
 * decoding thread and the consumer, what happens when it is full, and the longest wait for a frame.
 */
public final class LiveOptions {
    /** What the decoder does when the consumer has not taken the buffered frames yet. */
    public enum Overflow {
        /** Wait for the consumer: nothing is lost; a pipe's writer is slowed down instead. */
        BLOCK,
        /** Drop the oldest buffered frame: the consumer stays current with a camera or a stream. */
        DROP_OLDEST
    }

    private final FrameSize size;
    private final int buffer;
    private final Overflow overflow;
    private final Duration timeout;
    private final String format;

    private LiveOptions(Builder b) {
        this.size = b.size;
        this.buffer = b.buffer;
        this.overflow = b.overflow;
        this.timeout = b.timeout;
        this.format = b.format;
    }

    /** Original size, a buffer of 32 frames, {@link Overflow#BLOCK}, 10 s per frame. */
    public static LiveOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public FrameSize size() {
        return size;
    }

    /** Frames held between the decoding thread and the consumer, at most. */
    public int buffer() {
        return buffer;
    }

    public Overflow overflow() {
        return overflow;
    }

    /** The longest wait for the input to open and for each next frame. */
    public Duration timeout() {
        return timeout;
    }

    /** FFmpeg's input format to force (e.g. "v4l2" for a camera, "mpegts"), or null to detect it. */
    public String format() {
        return format;
    }

    public static final class Builder {
        private FrameSize size = FrameSize.original();
        private int buffer = 32;
        private Overflow overflow = Overflow.BLOCK;
        private Duration timeout = Duration.ofSeconds(10);
        private String format;

        private Builder() {}

        public Builder optSize(FrameSize size) {
            this.size = Objects.requireNonNull(size, "size");
            return this;
        }

        public Builder optBuffer(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("the buffer holds at least 1 frame, got " + frames);
            }
            this.buffer = frames;
            return this;
        }

        public Builder optOverflow(Overflow overflow) {
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        public Builder optTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder optFormat(String format) {
            this.format = format;
            return this;
        }

        public LiveOptions build() {
            return new LiveOptions(this);
        }
    }
}
