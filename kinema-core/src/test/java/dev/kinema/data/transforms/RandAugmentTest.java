package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kinema.data.transforms.RandAugment.Op;
import dev.kinema.video.VideoFrames;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RandAugmentTest {

    /** {@code frames} copies of one 12×16 picture with structure (so every operation changes it). */
    private static VideoFrames repeated(int frames) {
        VideoFrames one = TestClips.coded(1, 12, 16);
        byte[] rgb = new byte[frames * one.frameBytes()];
        for (int t = 0; t < frames; t++) {
            System.arraycopy(one.rgb(), 0, rgb, t * one.frameBytes(), one.frameBytes());
        }
        return new VideoFrames(rgb, frames, 12, 16);
    }

    private static int[] grey(VideoFrames clip) {
        int[] out = new int[clip.width() * clip.height() * clip.frames()];
        for (int i = 0; i < out.length; i++) {
            out[i] = clip.rgb()[3 * i] & 0xFF;
        }
        return out;
    }

    @Test
    void everyOperationTreatsEveryFrameAlike() {
        VideoFrames clip = repeated(3);
        for (Op op : Op.values()) {
            VideoFrames out = op.apply(clip, op.argument(9, new Random(1)));
            assertEquals(3, out.frames());
            assertArrayEquals(out.frame(0), out.frame(1), op.name());
            assertArrayEquals(out.frame(0), out.frame(2), op.name());
        }
    }

    @Test
    void sameGeneratorSameAugmentationAndTheInputIsKept() {
        VideoFrames clip = repeated(2);
        byte[] before = clip.rgb().clone();
        RandAugment aug = RandAugment.of(2, 9);
        int changed = 0;
        for (int seed = 0; seed < 20; seed++) {
            VideoFrames a = aug.apply(clip, new Random(seed));
            VideoFrames b = aug.apply(clip, new Random(seed));
            assertArrayEquals(a.rgb(), b.rgb());
            assertArrayEquals(a.frame(0), a.frame(1));
            changed += Arrays.equals(a.rgb(), before) ? 0 : 1;
        }
        assertArrayEquals(before, clip.rgb());
        // Each of the two operations is skipped half the time: a quarter of the clips stay as they were.
        assertFalse(changed < 10, changed + " of 20 clips changed");
    }

    @Test
    void noOperationsIsTheIdentity() {
        VideoFrames clip = repeated(1);
        assertSame(clip, RandAugment.of(0, 5).apply(clip, null));
    }

    @Test
    void pointOperations() {
        VideoFrames row = TestClips.row(0, 100, 200, 255);
        assertArrayEquals(new int[] {0, 96, 192, 240}, grey(Op.POSTERIZE.apply(row, 4)));
        assertArrayEquals(new int[] {0, 100, 55, 0}, grey(Op.SOLARIZE.apply(row, 150)));
        assertArrayEquals(new int[] {0, 50, 100, 128}, grey(Op.BRIGHTNESS.apply(row, 0.5)));
        assertArrayEquals(new int[] {0, 150, 255, 255}, grey(Op.BRIGHTNESS.apply(row, 1.5)));
        // Contrast blends with the frame's mean grey, 138.75 -> 139.
        assertArrayEquals(new int[] {70, 120, 170, 197}, grey(Op.CONTRAST.apply(row, 0.5)));
        // A grey picture has no saturation to change.
        assertArrayEquals(row.rgb(), Op.SATURATION.apply(row, 1.9).rgb());
        assertArrayEquals(new int[] {0, 127, 255}, grey(Op.AUTO_CONTRAST.apply(TestClips.row(50, 100, 150), 0)));
    }

    @Test
    void equalizeIsTorchvisions() {
        // histogram: 10, 20 once, 30 twice, 40 once; step = (5 - 1) // 255 = 0 -> unchanged.
        VideoFrames small = TestClips.row(10, 20, 30, 30, 40);
        assertArrayEquals(small.rgb(), Op.EQUALIZE.apply(small, 0).rgb());
        // 510 pixels of 0, 255 of 100 and 1 of 200: step = 765 // 255 = 3, lut[100] = (510 + 1) // 3 = 170,
        // lut[200] = (765 + 1) // 3 = 255.
        int[] values = new int[766];
        Arrays.fill(values, 510, 765, 100);
        values[765] = 200;
        int[] out = grey(Op.EQUALIZE.apply(TestClips.row(values), 0));
        assertEquals(0, out[0]);
        assertEquals(170, out[600]);
        assertEquals(255, out[765]);
    }

    @Test
    void geometricOperationsMovePixelsAndFillWithGrey() {
        VideoFrames row = TestClips.row(10, 20, 30, 40);
        assertArrayEquals(new int[] {128, 10, 20, 30}, grey(Op.TRANSLATE_X.apply(row, 0.25)));
        assertArrayEquals(new int[] {20, 30, 40, 128}, grey(Op.TRANSLATE_X.apply(row, -0.25)));
        assertArrayEquals(row.rgb(), Op.ROTATE.apply(row, 0).rgb());
        // A half turn of a row reverses it.
        assertArrayEquals(new int[] {40, 30, 20, 10}, grey(Op.ROTATE.apply(row, 180)));
    }

    @Test
    void argumentsGrowWithTheMagnitude() {
        Random rng = new Random(3);
        assertEquals(4, Op.POSTERIZE.argument(0, rng));
        assertEquals(0, Op.POSTERIZE.argument(10, rng));
        assertEquals(255, Op.SOLARIZE.argument(0, rng));
        assertEquals(30, Math.abs(Op.ROTATE.argument(10, rng)), 1e-9);
        assertEquals(0.9, Math.abs(Op.BRIGHTNESS.argument(10, rng) - 1), 1e-9);
        assertEquals(0.45, Math.abs(Op.TRANSLATE_Y.argument(10, rng)), 1e-9);
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RandAugment.of(2, 11));
        assertThrows(IllegalArgumentException.class, () -> RandAugment.of(-1, 5));
    }
}
