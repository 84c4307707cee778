package dev.kinema.data.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The problems met while reading a dataset: malformed lines, unknown labels, missing files. Each
 * one prints as {@code file:line: reason}, where {@code file} is relative to the dataset root when
 * it lies inside it. In lenient mode (the default) the sample a problem belongs to is skipped and
 * the problem lands here; in strict mode the first problem is thrown as a
 * {@link DatasetFormatException}.
 */
public final class DatasetReport {
    /** What went wrong, so a summary can count problems by kind. */
    public enum Kind {
        /** A line or entry that does not have the layout's shape (field count, number syntax). */
        MALFORMED,
        /** A class name or index that is not in the dataset's class list. */
        UNKNOWN_LABEL,
        /** A video file or frame folder named by an annotation that is not on disk. */
        MISSING_FILE,
        /** A class folder with no videos or frame folders in it. */
        EMPTY_CLASS,
        /** A frame folder whose numbered frames have a hole. */
        BAD_FRAMES
    }

    /**
     * One problem.
     *
     * @param kind what went wrong
     * @param file the file (or folder) the problem is in, as found on disk
     * @param location {@code file} as printed: relative to the dataset root when inside it
     * @param line 1-based line in {@code file}, or -1 when no line applies
     * @param reason what is wrong, for a person
     */
    public record Problem(Kind kind, Path file, String location, int line, String reason) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return line > 0 ? location + ":" + line + ": " + reason : location + ": " + reason;
        }
    }

    private static final DatasetReport EMPTY = new DatasetReport(List.of());

    private final List<Problem> problems;

    public DatasetReport(List<Problem> problems) {
        this.problems = List.copyOf(problems);
    }

    public static DatasetReport empty() {
        return EMPTY;
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** Each problem as {@code file:line: reason}, in the order met. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            out.add(p.toString());
        }
        return out;
    }

    public int count(Kind kind) {
        int n = 0;
        for (Problem p : problems) {
            if (p.kind() == kind) {
                n++;
            }
        }
        return n;
    }

    /** Problem counts by kind, only the kinds that occur, in {@link Kind} order. */
    public Map<Kind, Integer> counts() {
        Map<Kind, Integer> out = new EnumMap<>(Kind.class);
        for (Problem p : problems) {
            out.merge(p.kind(), 1, Integer::sum);
        }
        return out;
    }

    /** The file a run directory lists a dataset's problems in. */
    public static final String FILE = "dataset-problems.txt";

    /**
     * One line for a person, e.g. {@code 6 annotation problems skipped: 5 malformed lines, 1 missing
     * file}, or an empty string when there were none.
     */
    public String summary() {
        if (problems.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        counts().forEach((kind, n) -> parts.add(n + " " + describe(kind, n)));
        return problems.size() + " annotation problem" + (problems.size() == 1 ? "" : "s") + " skipped: "
                + String.join(", ", parts);
    }

    private static String describe(Kind kind, int n) {
        String one = switch (kind) {
            case MALFORMED -> "malformed line";
            case UNKNOWN_LABEL -> "unknown label";
            case MISSING_FILE -> "missing file";
            case EMPTY_CLASS -> "empty class folder";
            case BAD_FRAMES -> "frame folder with holes";
        };
        if (n == 1) {
            return one;
        }
        return kind == Kind.BAD_FRAMES ? "frame folders with holes" : one + "s";
    }

    /** All problems, one a line. */
    @Override
    public String toString() {
        return String.join("\n", lines());
    }
}
