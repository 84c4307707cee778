package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CropTest {
    private static final VideoFrames CLIP = TestClips.coded(2, 4, 6);

    /** Every pixel of {@code out} is the input's pixel at (y0 + y, x0 + x). */
    static void assertWindow(VideoFrames in, VideoFrames out, int y0, int x0) {
        for (int t = 0; t < out.frames(); t++) {
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(in.get(t, y0 + y, x0 + x, c), out.get(t, y, x, c),
                                "t=" + t + " y=" + y + " x=" + x + " c=" + c);
                    }
                }
            }
        }
    }

    @Test
    void centerCropPicksTheMiddleWindow() {
        VideoFrames out = Crop.center(2).apply(CLIP, null);
        assertEquals(2, out.height());
        assertEquals(2, out.width());
        // H=4, W=6, crop 2: rows 1..2, columns 2..3.
        assertWindow(CLIP, out, 1, 2);
        // Spot check against the raw formula: frame 1, crop (0, 0) is source (1, 1, 2).
        assertEquals(TestClips.value(1, 1, 2, 0, 4, 6), out.get(1, 0, 0, 0));
    }

    @Test
    void centerCropRoundsAnOddMarginUpLikePyTorchVideo() {
        // Margins 1 and 3: ceil(1/2) = 1, ceil(3/2) = 2.
        VideoFrames out = Crop.center(3).apply(CLIP, null);
        assertWindow(CLIP, out, 1, 2);
        VideoFrames rect = Crop.center(4, 3).apply(CLIP, null);
        assertEquals(4, rect.height());
        assertEquals(3, rect.width());
        assertWindow(CLIP, rect, 0, 2);
    }

    @Test
    void cropKeepsProvenance() {
        VideoFrames out = Crop.center(2).apply(CLIP, null);
        assertArrayEquals(CLIP.sourceIndices(), out.sourceIndices());
        assertArrayEquals(CLIP.timestamps(), out.timestamps());
        assertEquals(2, out.frames());
    }

    @Test
    void randomCropIsOneWindowForAllFramesAndReproducible() {
        Set<String> seen = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            VideoFrames a = Crop.random(2, 3).apply(CLIP, new Random(seed));
            VideoFrames b = Crop.random(2, 3).apply(CLIP, new Random(seed));
            assertArrayEquals(a.rgb(), b.rgb());
            // Recover the window from the first pixel of frame 0: value = ((y*6 + x) * 3).
            int v = a.get(0, 0, 0, 0);
            int y0 = v / 3 / 6;
            int x0 = v / 3 % 6;
            assertTrue(y0 <= 2 && x0 <= 3, "window inside the frame");
            assertWindow(CLIP, a, y0, x0);
            seen.add(y0 + "," + x0);
        }
        assertEquals(3 * 4, seen.size(), "every one of the 3x4 positions is reachable");
    }

    @Test
    void cropLargerThanFrameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Crop.center(5).apply(CLIP, null));
        assertTrue(e.getMessage().contains("cannot crop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Crop.crop(CLIP, 1, 4, 2, 3));
    }

    @Test
    void fullSizeCropIsTheInput() {
        assertEquals(CLIP, Crop.center(4, 6).apply(CLIP, null));
    }
}
