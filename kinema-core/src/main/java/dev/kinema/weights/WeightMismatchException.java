package dev.kinema.weights;

import java.io.IOException;

/** A strict load found names or shapes that do not match; the message lists every one of them. */
public final class WeightMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient LoadReport report;

    WeightMismatchException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    /** What matched and what did not; nothing was loaded. */
    public LoadReport report() {
        return report;
    }
}
