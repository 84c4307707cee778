package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DetectCommandTest {
    @Test
    void aPersonNmsOutsideZeroToOneIsOneClearLineBeforeAnythingIsRead() {
        // Neither the video nor the run exists: the option is checked first.
        CliRun run = CliRun.of("detect", "missing.mp4", "--run", "missing-run", "--persons", "missing.bin", "--person-nms", "1.5");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("--person-nms must be an IoU in [0, 1] (1: no NMS), got 1.5", run.err().lines().findFirst().orElse(""));
        assertTrue(run.out().isEmpty(), run.out());
    }
}
