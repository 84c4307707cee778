package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import dev.kinema.data.datasets.DatasetReport.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects problems for a {@link DatasetReport}, or throws the first one in strict mode. */
final class Problems {
    private final Path root;
    private final boolean strict;
    private final List<Problem> problems = new ArrayList<>();

    Problems(Path root, boolean strict) {
        this.root = root.toAbsolutePath().normalize();
        this.strict = strict;
    }

    void add(Kind kind, Path file, int line, String reason) {
        Problem p = new Problem(kind, file, display(file), line, reason);
        if (strict) {
            throw new DatasetFormatException(p);
        }
        problems.add(p);
    }

    /** A problem that no mode can read past: always thrown. */
    DatasetFormatException fatal(Path file, int line, String reason) {
        return new DatasetFormatException(new Problem(Kind.MALFORMED, file, display(file), line, reason));
    }

    /** {@code path} relative to the dataset root when inside it, else as an absolute path. */
    String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.startsWith(root) && !abs.equals(root)) {
            return slashes(root.relativize(abs));
        }
        return slashes(abs);
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    DatasetReport report() {
        return new DatasetReport(problems);
    }
}
