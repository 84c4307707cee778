package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theMainJobDecodesExactlyTheSampledFramesAndWritesAContactSheet() throws Exception {
        CliRun run = CliRun.of("demo", "--out", dir.toString(), "--clips", "3", "--frames", "4");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(3, run.out().lines().filter(l -> l.contains("frames verified")).count(), run.out());
        assertTrue(run.out().contains("Every decoded frame is the frame that was asked for."), run.out());
        BufferedImage sheet = ImageIO.read(dir.resolve("clip0.png").toFile());
        assertTrue(sheet.getWidth() >= 2 * 112 && sheet.getHeight() >= 112, sheet.getWidth() + "x" + sheet.getHeight());
    }
}
