package dev.kinema.video;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Frames read one after another, from a file or from a live input: the one way the classifier,
 * the service and streaming recognition read video in order. A file ({@link #file}) can also seek;
 * a live input ({@link #live}: a pipe on standard input, a URL, a capture device) is read forward
 * only, through a bounded buffer, with every wait time-bounded.
 *
 * <pre>{@code
 * try (FrameSource frames = FrameSource.live("-", LiveOptions.builder().optSize(FrameSize.shortSide(128)).build())) {
 *     for (Optional<SourceFrame> f = frames.next(); f.isPresent(); f = frames.next()) {
 *         ...   // f.get().rgb(): H×W×3 bytes
 *     }
 * }
 * }</pre>
 */
public interface FrameSource extends AutoCloseable {
    /** The next frame, or empty at the end of the input. */
    Optional<SourceFrame> next();

    /** What is read, as the user named it (a path, "-" for standard input, a URL, a device). */
    String name();

    /** The input's nominal frame rate; NaN when it does not say. */
    double fps();

    /** Frames decoded but dropped because the consumer was slower than a live input (0 for files). */
    default long dropped() {
        return 0;
    }

    @Override
    void close();

    /** A video file, read in order with {@link VideoReader}'s time bounds and checks; seekable. */
    static FileFrameSource file(Path file, ReaderOptions options) {
        return new FileFrameSource(VideoReader.open(file, options));
    }

    /**
     * A live input FFmpeg can open: {@code "-"} for standard input, a URL (rtsp, http, udp, ...) or a
     * device. Decoding starts at once on a background thread, into a buffer of
     * {@link LiveOptions#buffer()} frames.
     */
    static LiveFrameSource live(String input, LiveOptions options) {
        return LiveFrameSource.open(input, options);
    }
}
