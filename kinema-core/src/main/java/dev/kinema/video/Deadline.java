package dev.kinema.video;

import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * The time bound on decoding. Java loops check it between packets; FFmpeg's own I/O and probing
 * check it through the interrupt callback, so even a pathological file cannot hang a caller.
 *
 * <p>The deadline is per thread: FFmpeg demuxes on the calling thread, so one static callback can
 * serve every reader without a per-reader native thunk (JavaCPP limits how many exist at once).
 */
final class Deadline {
    private static final ThreadLocal<long[]> DEADLINE = ThreadLocal.withInitial(() -> new long[] {Long.MAX_VALUE});
    private static final InterruptCallback CALLBACK = new InterruptCallback();

    static {
        CALLBACK.retainReference();
    }

    private Deadline() {}

    static void start(Duration timeout) {
        long nanos = timeout.toNanos();
        long now = System.nanoTime();
        DEADLINE.get()[0] = nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    static void clear() {
        DEADLINE.get()[0] = Long.MAX_VALUE;
    }

    static boolean passed() {
        return System.nanoTime() > DEADLINE.get()[0];
    }

    /** Throws when the current deadline has passed. */
    static void check(Path file, Duration timeout, String what) {
        if (passed()) {
            throw new VideoDecodeException(file, what + " took longer than the time bound of "
                    + timeout.toMillis() / 1000.0 + " s (ReaderOptions.optTimeout); giving up");
        }
    }

    static void install(AVIOInterruptCB cb) {
        cb.callback(CALLBACK);
        cb.opaque(null);
    }

    private static final class InterruptCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            return passed() ? 1 : 0;
        }
    }
}
