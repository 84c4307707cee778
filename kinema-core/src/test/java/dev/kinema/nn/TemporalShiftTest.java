package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The shift against values worked out by hand. */
class TemporalShiftTest {
    /** Frames of N clips of T frames, C channels, 1x1 pixels: value 100 n + 10 t + c. */
    private static NDArray frames(NDManager m, int n, int t, int c) {
        float[] v = new float[n * t * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < c; k++) {
                    v[(i * t + j) * c + k] = 100 * i + 10 * j + k;
                }
            }
        }
        return m.create(v, new Shape((long) n * t, c, 1, 1));
    }

    @Test
    void firstEighthComesFromTheNextFrameSecondFromThePreviousRestStays() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 2 clips of 3 frames, 8 channels: fold = 1, so channel 0 is shifted backward in time
            // (frame t gets frame t+1's value), channel 1 forward (frame t gets frame t-1's).
            NDArray out = new TemporalShift(3).forward(new ParameterStore(m, false), new NDList(frames(m, 2, 3, 8)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(6, 8, 1, 1), out.getShape());
            float[] o = out.toFloatArray();
            float[][] expected = {
                // clip 0: frames 0, 1, 2; channel 0 from the next frame, 1 from the previous, 2..7 unchanged
                {10, 0, 2, 3, 4, 5, 6, 7},
                {20, 1, 12, 13, 14, 15, 16, 17},
                {0, 11, 22, 23, 24, 25, 26, 27},
                // clip 1: nothing crosses from clip 0 (its first frame's channel 1 is zero, not 21)
                {110, 0, 102, 103, 104, 105, 106, 107},
                {120, 101, 112, 113, 114, 115, 116, 117},
                {0, 111, 122, 123, 124, 125, 126, 127},
            };
            for (int f = 0; f < 6; f++) {
                float[] row = new float[8];
                System.arraycopy(o, f * 8, row, 0, 8);
                assertArrayEquals(expected[f], row, "frame " + f);
            }
        }
    }

    @Test
    void sixteenChannelsShiftTwoEachWayAndOneFrameSeesOnlyZeros() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(m, false);
            float[] o = new TemporalShift(2).forward(store, new NDList(frames(m, 1, 2, 16)), false).singletonOrThrow()
                    .toFloatArray();
            assertArrayEquals(new float[] {10, 11, 0, 0, 4, 5}, java.util.Arrays.copyOfRange(o, 0, 6));
            assertArrayEquals(new float[] {0, 0, 2, 3, 14, 15}, java.util.Arrays.copyOfRange(o, 16, 22));

            float[] single = new TemporalShift(1).forward(store, new NDList(frames(m, 1, 1, 8)), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(new float[] {0, 0, 2, 3, 4, 5, 6, 7}, single);
            // fewer than 8 channels: nothing to shift
            NDArray few = frames(m, 1, 2, 4);
            assertTrue(few.contentEquals(new TemporalShift(2).shift(few)));
        }
    }

    @Test
    void badBatchesAreRejectedAndTheReceptiveFieldGrowsByAFrameEachSide() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TemporalShift(4).shift(frames(m, 1, 3, 8)));
            assertEquals("a temporal shift over 4 segments takes (N*4) x C x H x W frames, got (3, 8, 1, 1)", e.getMessage());
        }
        FeatureMap in = FeatureMap.ofClip(new Shape(8, 6, 4, 4)).withFramesInBatch(true);
        FeatureMap out = new TemporalShift(6).profile(in, null);
        LayerTable table = Profiler.profile(new TemporalShift(6), new Shape(8, 6, 4, 4));
        assertEquals(0, table.totalParams());
        assertEquals(0, table.totalMacs());
        assertEquals("3 x 1 x 1", out.receptiveFieldText());
        assertTrue(out.framesInBatch());
        assertEquals("8 x 6 x 4 x 4", out.shapeText());
    }
}
