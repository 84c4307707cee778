package dev.kinema.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    // Four samples over three classes, worked out by hand:
    //   sample  scores            label  ranking     top1  top2
    //   0       [0.7, 0.2, 0.1]   0      0,1,2       yes   yes
    //   1       [0.1, 0.3, 0.6]   1      2,1,0       no    yes
    //   2       [0.5, 0.4, 0.1]   2      0,1,2       no    no
    //   3       [0.2, 0.2, 0.6]   2      2,0,1       yes   yes
    private static final List<float[]> SCORES = List.of(new float[] {0.7f, 0.2f, 0.1f}, new float[] {0.1f, 0.3f, 0.6f},
            new float[] {0.5f, 0.4f, 0.1f}, new float[] {0.2f, 0.2f, 0.6f});
    private static final int[] LABELS = {0, 1, 2, 2};

    @Test
    void topKAccuracyByHand() {
        assertEquals(0.5, Metrics.topKAccuracy(SCORES, LABELS, 1));
        assertEquals(0.75, Metrics.topKAccuracy(SCORES, LABELS, 2));
        assertEquals(1.0, Metrics.topKAccuracy(SCORES, LABELS, 3));
        // k beyond the number of classes counts every class.
        assertEquals(1.0, Metrics.topKAccuracy(SCORES, LABELS, 5));
        assertEquals(0.0, Metrics.topKAccuracy(List.of(), new int[0], 1));
    }

    @Test
    void tiesGoToTheLowerIndex() {
        float[] tie = {0.2f, 0.4f, 0.4f};
        assertEquals(1, Metrics.argmax(tie));
        assertArrayEquals(new int[] {1, 2, 0}, Metrics.topK(tie, 3));
        assertTrue(Metrics.inTopK(tie, 1, 1));
        assertFalse(Metrics.inTopK(tie, 2, 1));
        assertTrue(Metrics.inTopK(tie, 2, 2));
        // Sample 3 above: classes 0 and 1 tie at 0.2 behind class 2, so 0 is second and 1 third.
        assertArrayEquals(new int[] {2, 0}, Metrics.topK(SCORES.get(3), 2));
    }

    @Test
    void confusionAndMeanClassAccuracyByHand() {
        int[] predicted = {0, 2, 0, 2};
        int[][] c = Metrics.confusion(LABELS, predicted, 3);
        assertArrayEquals(new int[] {1, 0, 0}, c[0]);
        assertArrayEquals(new int[] {0, 0, 1}, c[1]);
        assertArrayEquals(new int[] {1, 0, 1}, c[2]);
        // Recall: class 0 1/1, class 1 0/1, class 2 1/2 -> (1 + 0 + 0.5) / 3.
        assertEquals(0.5, Metrics.meanClassAccuracy(c), 1e-12);
        // A class with no samples is left out rather than counted as 0: (1 + 0.5) / 2.
        int[][] missing = {{2, 0, 0}, {0, 0, 0}, {1, 0, 1}};
        assertEquals(0.75, Metrics.meanClassAccuracy(missing), 1e-12);
        // Unbalanced classes: overall accuracy 9/11, but mean class accuracy (9/10 + 0/1) / 2.
        int[][] unbalanced = {{9, 1}, {1, 0}};
        assertEquals(0.45, Metrics.meanClassAccuracy(unbalanced), 1e-12);
    }

    @Test
    void meanAndSoftmax() {
        assertArrayEquals(new float[] {0.4f, 0.25f, 0.35f},
                Metrics.mean(List.of(SCORES.get(0), SCORES.get(1))), 1e-6f);
        float[] p = Metrics.softmax(new float[] {0f, (float) Math.log(3), 1000f - 1000f});
        // e^0 : e^ln3 : e^0 = 1 : 3 : 1.
        assertArrayEquals(new float[] {0.2f, 0.6f, 0.2f}, p, 1e-6f);
        float[] big = Metrics.softmax(new float[] {1000f, 1000f});
        assertArrayEquals(new float[] {0.5f, 0.5f}, big, 1e-6f);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.confusion(new int[] {3}, new int[] {0}, 3));
        assertThrows(IllegalArgumentException.class, () -> Metrics.topKAccuracy(SCORES, new int[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> Metrics.mean(List.of(new float[2], new float[3])));
        assertThrows(IllegalArgumentException.class, () -> Metrics.topK(new float[] {1}, 0));
    }

    @Test
    void evalResultCombinesClipAndVideoScores() {
        // Video scores as SCORES; the centre clips get everything right but sample 1's.
        List<float[]> clips = List.of(new float[] {1, 0, 0}, new float[] {1, 0, 0}, new float[] {0, 0, 1},
                new float[] {0, 0, 1});
        EvalResult r = EvalResult.of(List.of("a", "b", "c"), LABELS, clips, SCORES, 1, 4, 3);
        assertEquals(0.75, r.clipTop1());
        assertEquals(0.5, r.videoTop1());
        assertEquals(1.0, r.videoTop5());
        assertEquals(0.5, r.meanClassAccuracy(), 1e-12);
        assertArrayEquals(new int[] {1, 0, 1}, r.confusion()[2]);
        assertEquals(4, r.videos());
        assertEquals(1, r.skipped());
    }
}
