package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class RoiPoolingTest {
    /** 2 clips × 1 channel × 2 frames × 4 × 4: clip b's frame t is constant b·10 + (1, 3)[t], so its time mean is b·10 + 2. */
    private static NDArray features(NDManager m) {
        float[] v = new float[2 * 2 * 16];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                for (int i = 0; i < 16; i++) {
                    v[(b * 2 + t) * 16 + i] = b * 10 + (t == 0 ? 1 : 3);
                }
            }
        }
        return m.create(v, new Shape(2, 1, 2, 4, 4));
    }

    @Test
    void eachRegionIsItsClipsTimeMeanPooledAndMaxed() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoiPooling pool = new RoiPooling(2);
            NDArray rois = m.create(new float[] {1, 0.25f, 0.25f, 0.75f, 0.75f, 0, 0, 0, 0.5f, 1, 1, 0, 0, 1, 1}, new Shape(3, 5));
            NDArray out = pool.forward(new ParameterStore(m, false), new NDList(features(m), rois), false).singletonOrThrow();
            assertEquals(new Shape(3, 1, 1, 1, 1), out.getShape());
            assertArrayEquals(new float[] {12, 2, 12}, out.toFloatArray(), 1e-6f);
            assertEquals(new Shape(3, 1, 1, 1, 1), pool.getOutputShapes(new Shape[] {new Shape(2, 1, 2, 4, 4), new Shape(3, 5)})[0]);
        }
    }

    @Test
    void withoutRegionsEachClipsWholeFrameIsOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoiPooling pool = new RoiPooling(3);
            NDArray x = m.randomUniform(0, 1, new Shape(2, 3, 2, 5, 6));
            NDArray whole = pool.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            NDArray rois = m.create(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 1, 1}, new Shape(2, 5));
            NDArray explicit = pool.forward(new ParameterStore(m, false), new NDList(x, rois), false).singletonOrThrow();
            assertArrayEquals(explicit.toFloatArray(), whole.toFloatArray(), 0f);
            // The maximum over a whole-frame region of bilinear means never exceeds the map's maximum.
            float[] mean = x.mean(new int[] {2}).toFloatArray();
            float[] pooled = whole.toFloatArray();
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < 30; i++) {
                        max = Math.max(max, mean[(r * 3 + c) * 30 + i]);
                    }
                    assertEquals(true, pooled[r * 3 + c] <= max + 1e-6f);
                }
            }
        }
    }
}
