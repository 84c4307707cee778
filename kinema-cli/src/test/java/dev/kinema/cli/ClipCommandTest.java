package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.sampling.TargetFps;
import dev.kinema.synth.IndexCodedVideo;
import dev.kinema.video.VideoFrames;
import dev.kinema.viz.ContactSheet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipCommandTest {
    @TempDir
    static Path dir;
    static Path video;

    @BeforeAll
    static void makeVideo() {
        video = dir.resolve("coded.mp4");
        // 60 frames at 25 fps, 64x48: short side 32 gives 42x32 frames.
        IndexCodedVideo.write(video, 60, 64, 48, 25);
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Kinema.execute(args);
            assertEquals(0, code, "exit code; output: " + buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void contactSheetHasTheGridAndTheRightFrames() throws IOException {
        Path png = dir.resolve("sheet.png");
        String printed = run("clip", video.toString(), "--frames", "8", "--fps", "5", "--size", "32",
                "--crop", "none", "--columns", "4", "--out", png.toString());
        assertTrue(Files.exists(png), printed);
        // 25 -> 5 fps is every 5th frame; centred: int((60 - 40 + 1) / 2) = 10.
        int[] expected = {10, 15, 20, 25, 30, 35, 40, 45};
        assertArrayEquals(expected, TargetFps.choose(60, 25, 8, 5, null));
        assertTrue(printed.contains("[10, 15, 20, 25, 30, 35, 40, 45]"), printed);

        BufferedImage img = ImageIO.read(png.toFile());
        ContactSheet.Grid grid = ContactSheet.builder().optColumns(4).build().grid(8, 32, 42);
        // 4 columns x 2 rows of 42x32 frames, 2-pixel gaps, caption bands of 11.
        assertEquals(4 * 42 + 5 * 2, img.getWidth());
        assertEquals(2 * (32 + 11) + 3 * 2, img.getHeight());
        assertEquals(grid.width(), img.getWidth());
        assertEquals(grid.height(), img.getHeight());

        // Each cell still shows its frame's index code.
        for (int k = 0; k < 8; k++) {
            byte[] rgb = new byte[32 * 42 * 3];
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 42; x++) {
                    int p = img.getRGB(grid.x(k) + x, grid.y(k) + y);
                    int o = (y * 42 + x) * 3;
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
            assertEquals(expected[k], IndexCodedVideo.decode(new VideoFrames(rgb, 1, 32, 42), 0), "cell " + k);
        }
    }

    @Test
    void gifOfACentreCropLoopsAShortVideo() throws IOException {
        Path gif = dir.resolve("clip.gif");
        // 16 frames every 5th source frame need 80 frames: the 60-frame video loops.
        String printed = run("clip", video.toString(), "--frames", "16", "--fps", "5", "--size", "32",
                "--start", "1.0", "--out", gif.toString());
        assertTrue(printed.contains("[25, 30, 35, 40, 45, 50, 55, 0, 5, 10, 15, 20, 25, 30, 35, 40]"), printed);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(16, reader.getNumImages(true));
            assertEquals(32, reader.getWidth(0));
            assertEquals(32, reader.getHeight(0));
            reader.dispose();
        }
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Path jpg = dir.resolve("x.jpg");
            assertEquals(2, Kinema.execute("clip", dir.resolve("missing.mp4").toString(), "--out", jpg.toString()));
            assertEquals(2, Kinema.execute("clip", dir.resolve("missing.mp4").toString(),
                    "--out", dir.resolve("x.png").toString()));
            assertFalse(Files.exists(jpg));
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("--out must end in .png"), text);
        assertTrue(text.contains("no such file"), text);
    }
}
