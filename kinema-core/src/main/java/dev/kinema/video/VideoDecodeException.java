package dev.kinema.video;

import java.nio.file.Path;

/**
 * A video or audio file could not be read as asked. The message always names the file and the
 * reason, so it can be shown to a user as it is.
 */
public class VideoDecodeException extends RuntimeException {
    private final transient Path file;
    private final String reason;

    public VideoDecodeException(Path file, String reason) {
        this(file, reason, null);
    }

    public VideoDecodeException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /**
     * For an input that is not a file: a pipe, a URL, a device. {@link #file()} is then null and the
     * message names {@code source} as given.
     */
    public VideoDecodeException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.file = null;
        this.reason = reason;
    }

    /** The file that could not be read; null for a pipe, a URL or a device. */
    public Path file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
