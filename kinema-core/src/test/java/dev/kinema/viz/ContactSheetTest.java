package dev.kinema.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {
    @TempDir
    Path dir;

    /** T frames of H×W; pixel (t, y, x) = (t * 40, y * 20, x * 10), source index 100 + 5t, time 0.2t. */
    static VideoFrames clip(int frames, int height, int width) {
        byte[] rgb = new byte[frames * height * width * 3];
        int[] idx = new int[frames];
        double[] ts = new double[frames];
        for (int t = 0; t < frames; t++) {
            idx[t] = 100 + 5 * t;
            ts[t] = 0.2 * t;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int o = ((t * height + y) * width + x) * 3;
                    rgb[o] = (byte) (t * 40);
                    rgb[o + 1] = (byte) (y * 20);
                    rgb[o + 2] = (byte) (x * 10);
                }
            }
        }
        return new VideoFrames(rgb, frames, height, width, idx, ts);
    }

    static int rgbOf(VideoFrames c, int t, int y, int x) {
        return c.get(t, y, x, 0) << 16 | c.get(t, y, x, 1) << 8 | c.get(t, y, x, 2);
    }

    @Test
    void gridWithoutCaptions() throws IOException {
        VideoFrames c = clip(5, 4, 6);
        Path png = ContactSheet.builder().optColumns(3).optGap(2).optCaptions(false).build()
                .write(c, dir.resolve("sheet.png"));
        BufferedImage img = ImageIO.read(png.toFile());
        // 3 columns x 2 rows of 6x4 frames with 2-pixel gaps between and around.
        assertEquals(3 * 6 + 4 * 2, img.getWidth());
        assertEquals(2 * 4 + 3 * 2, img.getHeight());
        // Frame 4 is row 1, column 1: its top-left corner is at (2 + 8, 2 + 6).
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(rgbOf(c, 4, y, x), img.getRGB(10 + x, 8 + y) & 0xffffff, "frame 4 (" + x + "," + y + ")");
            }
        }
        // Frame 2 is row 0, column 2, at (2 + 16, 2).
        assertEquals(rgbOf(c, 2, 3, 5), img.getRGB(18 + 5, 2 + 3) & 0xffffff);
        // The gap and the empty sixth cell are background.
        assertEquals(0x202020, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0x202020, img.getRGB(8, 3) & 0xffffff);
        assertEquals(0x202020, img.getRGB(20, 10) & 0xffffff);
    }

    @Test
    void captionsAddABandUnderEachFrame() throws IOException {
        VideoFrames c = clip(4, 10, 40);
        ContactSheet sheet = ContactSheet.builder().optColumns(2).build();
        ContactSheet.Grid g = sheet.grid(4, 10, 40);
        assertEquals(7 + 4, g.captionHeight());
        BufferedImage img = ImageIO.read(sheet.write(c, dir.resolve("cap.png")).toFile());
        assertEquals(2 * 40 + 3 * 2, img.getWidth());
        assertEquals(2 * (10 + 11) + 3 * 2, img.getHeight());
        // Frame 3: column 1, row 1 -> (2 + 42, 2 + 23).
        assertEquals(rgbOf(c, 3, 0, 0), img.getRGB(44, 25) & 0xffffff);
        assertEquals(rgbOf(c, 3, 9, 39), img.getRGB(44 + 39, 25 + 9) & 0xffffff);
        // Some white caption pixels in the band below frame 0 and none above it.
        int white = 0;
        for (int y = 2 + 10; y < 2 + 10 + 11; y++) {
            for (int x = 2; x < 42; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == 0xffffff) {
                    white++;
                }
            }
        }
        assertTrue(white > 10, "caption drawn: " + white + " white pixels");
        assertEquals("#100", ContactSheet.caption(c, 0).substring(0, 4));
        assertEquals("#115 t=0.60s", ContactSheet.caption(c, 3));
        assertEquals("#0", ContactSheet.caption(new VideoFrames(new byte[3], 1, 1, 1), 0));
    }

    @Test
    void defaultColumnsMakeARoughlySquareSheet() {
        assertEquals(4, ContactSheet.defaults().grid(16, 8, 8).columns());
        assertEquals(3, ContactSheet.defaults().grid(7, 8, 8).columns());
        assertEquals(1, ContactSheet.defaults().grid(1, 8, 8).columns());
        assertEquals(3, ContactSheet.builder().optColumns(8).build().grid(3, 8, 8).columns());
    }

    @Test
    void writeIsAtomicAndReplacesAnOldFile() throws IOException {
        Path target = dir.resolve("sub/out.png");
        ContactSheet.defaults().write(clip(2, 4, 4), target);
        long first = Files.size(target);
        ContactSheet.defaults().write(clip(9, 8, 8), target);
        assertNotEquals(first, Files.size(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
