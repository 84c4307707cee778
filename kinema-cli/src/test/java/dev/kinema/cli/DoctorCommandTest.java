package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code kinema doctor} runs the kernel check in a child JVM and says what it found, in plain lines. */
class DoctorCommandTest {
    @Test
    void checksTheReferenceKernelsAndReportsEveryGeometry() {
        CliRun run = CliRun.of("doctor", "--kernels", "reference", "--no-record");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        assertTrue(run.out().startsWith("CPU: "), run.out());
        assertTrue(run.out().matches("(?s).*reference: (\\d+) of \\1 geometries checked, 0 wrong.*"), run.out());
        assertTrue(run.out().contains("result: reference kernels are right on this CPU"), run.out());
    }

    @Test
    void aBadKernelNameIsOneClearLine() {
        CliRun run = CliRun.of("doctor", "--kernels", "fast");
        assertEquals(2, run.exitCode());
        assertEquals("kinema: --kernels fast: expected onednn or reference", run.err().strip());
    }
}
