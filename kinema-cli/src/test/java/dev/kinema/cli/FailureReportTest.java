package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every failure of the kinema command is one line; a trace only when asked for. */
class FailureReportTest {
    private static String report(Throwable t, boolean debug, int expectedCode) {
        StringWriter err = new StringWriter();
        assertEquals(expectedCode, FailureReport.report(t, new PrintWriter(err), debug));
        return err.toString();
    }

    @Test
    void aUsersFileErrorIsOneLineNamingTheFileAndTheReason() {
        String line = report(new UncheckedIOException(new NoSuchFileException("/data/clip.mp4")), false,
                FailureReport.USER_ERROR);
        assertEquals("kinema: /data/clip.mp4: no such file or folder" + System.lineSeparator(), line);
        assertEquals("kinema: /runs/a: Is a directory" + System.lineSeparator(), report(
                new java.nio.file.FileSystemException("/runs/a", null, "Is a directory"), false, FailureReport.USER_ERROR));
    }

    @Test
    void anInternalErrorIsOneLineThatSaysSoAndWhereItsTraceIs() throws IOException {
        String out = report(new ArithmeticException("/ by zero"), false, FailureReport.INTERNAL_ERROR);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("kinema: internal error: ArithmeticException: / by zero at "), out);
        Matcher m = Pattern.compile("the full trace is in (\\S+\\.txt)").matcher(out);
        assertTrue(m.find(), out);
        Path trace = Path.of(m.group(1));
        assertTrue(Files.readString(trace).contains("java.lang.ArithmeticException: / by zero"));
        Files.delete(trace);
    }

    @Test
    void debugAddsTheTrace() {
        String out = report(new IllegalArgumentException("--clips must be >= 1"), true, FailureReport.USER_ERROR);
        assertTrue(out.startsWith("kinema: --clips must be >= 1"), out);
        assertTrue(out.contains("\tat dev.kinema.cli.FailureReportTest"), out);
    }

    @Test
    void anInputTooLargeForTheLayerTableIsNamedNotAnOverflow() {
        CliRun run = CliRun.of("models", "c3d", "--input", "3x100000x100000x100000");
        assertEquals(FailureReport.USER_ERROR, run.exitCode());
        assertEquals("kinema: --input 3x100000x100000x100000 is too large: 3.00e+15 values in one clip, at most 2147483647",
                run.err().strip());
        CliRun debug = CliRun.of("models", "c3d", "--input", "3x100000x100000x100000", "--debug");
        assertTrue(debug.err().contains("\tat dev.kinema.cli.ModelsCommand"), debug.err());
        assertFalse(run.err().contains("\tat "), "no trace without --debug");
    }
}
