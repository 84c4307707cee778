package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlipTest {
    private static final VideoFrames CLIP = TestClips.coded(2, 4, 6);

    @Test
    void flipMirrorsEveryRow() {
        VideoFrames out = Flip.horizontal().apply(CLIP, null);
        for (int t = 0; t < 2; t++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(CLIP.get(t, y, 5 - x, c), out.get(t, y, x, c));
                    }
                }
            }
        }
        assertEquals(TestClips.value(1, 2, 5, 1, 4, 6), out.get(1, 2, 0, 1));
        assertArrayEquals(CLIP.sourceIndices(), out.sourceIndices());
        assertArrayEquals(CLIP.rgb(), Flip.mirror(out).rgb(), "flipping twice restores the clip");
    }

    @Test
    void probabilityZeroNeverFlipsAndHalfFlipsSomeClipsReproducibly() {
        assertSame(CLIP, Flip.horizontal(0).apply(CLIP, new Random(3)));
        // One stream for all clips, as a data loader would use it. (new Random(0), new Random(1), ...
        // all start with nextDouble() near 0.73: consecutive small seeds are not independent.)
        Random r1 = new Random(42);
        Random r2 = new Random(42);
        int flipped = 0;
        for (int i = 0; i < 100; i++) {
            VideoFrames a = Flip.horizontal(0.5).apply(CLIP, r1);
            VideoFrames b = Flip.horizontal(0.5).apply(CLIP, r2);
            assertArrayEquals(a.rgb(), b.rgb());
            if (!Arrays.equals(a.rgb(), CLIP.rgb())) {
                flipped++;
            }
        }
        assertTrue(flipped > 25 && flipped < 75, "about half flipped, got " + flipped);
    }
}
