package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.datasets.DatasetReport.Kind;
import dev.kinema.data.datasets.DatasetReport.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReportTest {
    private static Problem problem(Kind kind) {
        return new Problem(kind, Path.of("train.csv"), "train.csv", 3, "reason");
    }

    @Test
    void theSummaryCountsProblemsByKindInOneLine() {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            problems.add(problem(Kind.MALFORMED));
        }
        problems.add(problem(Kind.MISSING_FILE));
        assertEquals("6 annotation problems skipped: 5 malformed lines, 1 missing file",
                new DatasetReport(problems).summary());
        assertEquals("1 annotation problem skipped: 1 empty class folder",
                new DatasetReport(List.of(problem(Kind.EMPTY_CLASS))).summary());
        assertEquals("", DatasetReport.empty().summary());
    }
}
