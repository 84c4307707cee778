package dev.kinema.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** Three classes, each a blob around its own centre in 6 dimensions with unequal feature scales. */
    private static float[][] blobs(int perClass, long seed, int[] labels) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = {{4, 0, 0, 0, 0, 0}, {0, 4, 0, 0, 0, 0}, {0, 0, 4, 0, 0, 0}};
        double[] scale = {1, 10, 0.1, 5, 1, 100};
        float[][] x = new float[3 * perClass][6];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < perClass; i++) {
                int row = k * perClass + i;
                for (int j = 0; j < 6; j++) {
                    x[row][j] = (float) ((centres[k][j] + 0.5 * (rng.nextDouble() * 2 - 1)) * scale[j] + 7);
                }
                labels[row] = k;
            }
        }
        return x;
    }

    @Test
    void learnsASeparableProblemAndGeneralises() {
        int[] y = new int[90];
        float[][] x = blobs(30, 1, y);
        LogisticRegression fit = LogisticRegression.fit(x, y, 3, LogisticRegression.DEFAULT_L2,
                LogisticRegression.DEFAULT_STEPS);
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], fit.predict(x[i]), "training row " + i);
        }
        int[] testY = new int[60];
        float[][] test = blobs(20, 2, testY);
        for (int i = 0; i < test.length; i++) {
            assertEquals(testY[i], fit.predict(test[i]), "test row " + i);
        }
        assertEquals(18, fit.weight().length);
        assertEquals(3, fit.bias().length);
    }

    @Test
    void isDeterministic() {
        int[] y = new int[60];
        float[][] x = blobs(20, 3, y);
        LogisticRegression a = LogisticRegression.fit(x, y, 3, 1e-3, 200);
        LogisticRegression b = LogisticRegression.fit(x, y, 3, 1e-3, 200);
        assertArrayEquals(a.weight(), b.weight(), 0f);
        assertArrayEquals(a.bias(), b.bias(), 0f);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(new float[][] {{1, 2}}, new int[] {0, 1}, 2, 0, 10));
        assertThrows(IllegalArgumentException.class,
                () -> LogisticRegression.fit(new float[][] {{1, 2}}, new int[] {2}, 2, 0, 10));
    }
}
