package dev.kinema.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixUpTest {
    private static final int N = 3;
    private static final int C = 2;
    private static final int T = 3;
    private static final int H = 8;
    private static final int W = 10;
    private static final Shape SHAPE = new Shape(N, C, T, H, W);

    /** A value for clip i, channel c, frame t and pixel (y, x). */
    private interface Values {
        float at(int i, int c, int t, int y, int x);
    }

    /** Distinct values: clip i, channel c, frame t, pixel (y, x). */
    private static float value(int i, int c, int t, int y, int x) {
        return i * 10000 + c * 1000 + t * 100 + y * 10 + x;
    }

    /** A batch in {@link #SHAPE} with the values {@code f} gives. */
    private static float[] batch(Values f) {
        float[] v = new float[N * C * T * H * W];
        int k = 0;
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < C; c++) {
                for (int t = 0; t < T; t++) {
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            v[k++] = f.at(i, c, t, y, x);
                        }
                    }
                }
            }
        }
        return v;
    }

    private static float[] clips() {
        return batch(MixUpTest::value);
    }

    @Test
    void mixupBlendsEachClipWithItsPartnerInTheReversedBatch() {
        float[] in = clips();
        MixUp.Mixed m = new MixUp(0.4, 0, 0.5).apply(in, SHAPE, new SplittableRandom(3));
        assertNull(m.box());
        assertTrue(m.lambda() > 0 && m.lambda() < 1, "λ = " + m.lambda());
        int perClip = in.length / N;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < perClip; j++) {
                float expected = in[i * perClip + j] * m.lambda() + in[(N - 1 - i) * perClip + j] * (1 - m.lambda());
                assertEquals(expected, m.values()[i * perClip + j], 0f);
            }
        }
        assertArrayEquals(clips(), in, "the input is not modified");
    }

    @Test
    void cutmixPastesOneBoxIntoEveryFrameAndCorrectsLambda() {
        float[] in = clips();
        MixUp.Mixed m = new MixUp(0, 1.0, 0.5).apply(in, SHAPE, new SplittableRandom(7));
        int[] box = m.box();
        assertNotNull(box);
        int area = (box[1] - box[0]) * (box[3] - box[2]);
        assertTrue(area > 0, "a box was pasted");
        assertEquals(1 - (double) area / (H * W), m.lambda(), 1e-6);
        float[] expected = batch((i, c, t, y, x) -> {
            boolean inside = y >= box[0] && y < box[1] && x >= box[2] && x < box[3];
            return value(inside ? N - 1 - i : i, c, t, y, x);
        });
        assertArrayEquals(expected, m.values());
    }

    @Test
    void theSwitchProbabilityChoosesBetweenThem() {
        float[] in = clips();
        for (int seed = 0; seed < 20; seed++) {
            assertNull(new MixUp(0.8, 1.0, 0).apply(in, SHAPE, new SplittableRandom(seed)).box());
            assertNotNull(new MixUp(0.8, 1.0, 1).apply(in, SHAPE, new SplittableRandom(seed)).box());
        }
    }

    @Test
    void sameGeneratorSameMix() {
        MixUp both = new MixUp(0.8, 1.0, 0.5);
        for (int seed = 0; seed < 5; seed++) {
            MixUp.Mixed a = both.apply(clips(), SHAPE, new SplittableRandom(seed));
            MixUp.Mixed b = both.apply(clips(), SHAPE, new SplittableRandom(seed));
            assertEquals(a.lambda(), b.lambda());
            assertArrayEquals(a.values(), b.values());
        }
    }

    @Test
    void offLeavesTheBatchAlone() {
        float[] in = clips();
        MixUp.Mixed m = MixUp.NONE.apply(in, SHAPE, new SplittableRandom(1));
        assertSame(in, m.values());
        assertEquals(1f, m.lambda());
    }

    @Test
    void lambdaFollowsBetaAlphaAlpha() {
        // Beta(α, α) has mean 1/2 and variance 1 / (4(2α + 1)).
        for (double alpha : new double[] {0.2, 0.8, 1.0, 4.0}) {
            SplittableRandom rng = new SplittableRandom(42);
            int n = 40000;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double l = MixUp.beta(alpha, rng);
                assertTrue(l >= 0 && l <= 1);
                sum += l;
                squares += l * l;
            }
            double mean = sum / n;
            double variance = squares / n - mean * mean;
            assertEquals(0.5, mean, 0.01, "mean for α = " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), variance, 0.005, "variance for α = " + alpha);
        }
    }

    @Test
    void theBoxIsTimmsRandBbox() {
        // λ = 0.75: sides of sqrt(0.25) = half the frame around a centre in the frame, clipped to it.
        for (int seed = 0; seed < 50; seed++) {
            int[] box = MixUp.box(H, W, 0.75, new SplittableRandom(seed));
            assertTrue(box[0] >= 0 && box[1] <= H && box[2] >= 0 && box[3] <= W);
            assertTrue(box[1] - box[0] <= 4 && box[3] - box[2] <= 5);
        }
    }
}
