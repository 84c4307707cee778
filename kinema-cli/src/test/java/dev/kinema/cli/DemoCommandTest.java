package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theMainJobRendersTrainsEvaluatesAndClassifies() throws Exception {
        // A small run: the demo's structure, not its accuracy (README's default run shows that).
        CliRun run = CliRun.of("demo", "--out", dir.toString(), "--videos-per-class", "7", "--epochs", "1",
                "--model", "tiny-3d");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Matcher top1 = Pattern.compile("video top-1 ([0-9.]+)%.*\\(chance 12\\.5%\\)").matcher(run.out());
        assertTrue(top1.find(), run.out());
        double accuracy = Double.parseDouble(top1.group(1));
        assertTrue(accuracy >= 0 && accuracy <= 100, top1.group());
        assertTrue(run.out().contains("appearance classes:") && run.out().contains("motion-only classes:"), run.out());
        assertTrue(run.out().contains("test/waving/") && run.out().contains("test/slide_left/"), run.out());
        assertTrue(Files.isRegularFile(dir.resolve("run/report.html")));
        assertTrue(Files.isRegularFile(dir.resolve("run/checkpoint.ckpt")));
        assertEquals(8, Files.readAllLines(dir.resolve("kinema-motion/labels.txt")).size());
    }
}
