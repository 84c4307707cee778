package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kinema.video.VideoFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToTensorTest {
    private static final VideoFrames CLIP = TestClips.coded(2, 4, 6);
    private static final float TOL = 1e-6f;

    private static float expected(int t, int y, int x, int c, float[] mean, float[] std) {
        return (TestClips.value(t, y, x, c, 4, 6) / 255f - mean[c]) / std[c];
    }

    @Test
    void cthwElementsAreNormalisedPixels() {
        float[] mean = {0.45f, 0.45f, 0.45f};
        float[] std = {0.225f, 0.225f, 0.225f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = new ToTensor(Normalization.KINETICS, Layout.CTHW).apply(m, CLIP);
            assertEquals(new Shape(3, 2, 4, 6), a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            float[] flat = a.toFloatArray();
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 2; t++) {
                    for (int y = 0; y < 4; y++) {
                        for (int x = 0; x < 6; x++) {
                            assertEquals(expected(t, y, x, c, mean, std), flat[((c * 2 + t) * 4 + y) * 6 + x], TOL);
                        }
                    }
                }
            }
            // Element [c][t][y][x] read through the NDArray's own indexing.
            assertEquals(expected(1, 2, 5, 2, mean, std), a.getFloat(2, 1, 2, 5), TOL);
            assertEquals((TestClips.value(0, 3, 1, 0, 4, 6) / 255f - 0.45f) / 0.225f, a.getFloat(0, 0, 3, 1), TOL);
        }
    }

    @Test
    void tchwElementsAreNormalisedPixels() {
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = new ToTensor(Normalization.IMAGENET, Layout.TCHW).apply(m, CLIP);
            assertEquals(new Shape(2, 3, 4, 6), a.getShape());
            for (int t = 0; t < 2; t++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected(t, 1, 4, c, mean, std), a.getFloat(t, c, 1, 4), TOL);
                    assertEquals(expected(t, 3, 0, c, mean, std), a.getFloat(t, c, 3, 0), TOL);
                }
            }
            // The two layouts hold the same numbers, transposed.
            NDArray b = new ToTensor(Normalization.IMAGENET, Layout.CTHW).apply(m, CLIP);
            assertEquals(b.transpose(1, 0, 2, 3), a);
        }
    }

    @Test
    void customAndNoNormalisation() {
        Normalization custom = Normalization.of(new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = new ToTensor(custom, Layout.CTHW).apply(m, CLIP);
            int v = TestClips.value(1, 0, 2, 1, 4, 6);
            assertEquals((v / 255f - 0.25f) / 0.25f, a.getFloat(1, 1, 0, 2), TOL);
            NDArray raw = new ToTensor(Normalization.NONE, Layout.CTHW).apply(m, CLIP);
            assertEquals(TestClips.value(1, 3, 5, 2, 4, 6) / 255f, raw.getFloat(2, 1, 3, 5), TOL);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Normalization.of(new float[] {0, 0, 0}, new float[] {1, 0, 1}));
    }

    @Test
    void batchStacksClipsInOneArray() {
        List<VideoFrames> views = new ThreeCrop(4).apply(CLIP);
        try (NDManager m = NDManager.newBaseManager()) {
            ToTensor tt = new ToTensor(Normalization.KINETICS, Layout.CTHW);
            NDArray batch = tt.applyBatch(m, views);
            assertEquals(new Shape(3, 3, 2, 4, 4), batch.getShape());
            for (int i = 0; i < 3; i++) {
                assertEquals(tt.apply(m, views.get(i)), batch.get(i));
            }
        }
    }
}
