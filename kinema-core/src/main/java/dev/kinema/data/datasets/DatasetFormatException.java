package dev.kinema.data.datasets;

import java.util.Optional;

/**
 * A dataset could not be read as asked. The message is always {@code file:line: reason} (or
 * {@code file: reason} when no line applies), so it can be shown to a user as it is.
 *
 * <p>Thrown for every problem in strict mode, and in any mode when nothing sensible can be read
 * (no annotation file found, a class index with holes, a JSON file that does not parse).
 */
public class DatasetFormatException extends IllegalArgumentException {
    private final transient DatasetReport.Problem problem;

    public DatasetFormatException(DatasetReport.Problem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    public DatasetFormatException(String message) {
        this(message, null);
    }

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
        this.problem = null;
    }

    /** The problem that stopped reading, when it was one of the per-line problems of a report. */
    public Optional<DatasetReport.Problem> problem() {
        return Optional.ofNullable(problem);
    }
}
