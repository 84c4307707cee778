package dev.kinema.data.annotations;

import java.nio.file.Path;

/** A bad annotation file, as one line: {@code file:line: reason} (or {@code file: reason}). */
public final class AnnotationException extends IllegalArgumentException {
    public AnnotationException(Path file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
    }

    public AnnotationException(Path file, String reason) {
        super(file + ": " + reason);
    }

    public AnnotationException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
